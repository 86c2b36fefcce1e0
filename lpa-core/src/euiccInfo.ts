// `chip info`: EID, the configured addresses and the main EUICCInfo2 fields (SGP.22 v2.2.2 §5.7.8, §5.7.3,
// §5.7.20), in a plain JSON-friendly shape.
import { namesInBitString, RspCapability, toHex, type EUICCInfo2 } from '@zkesim/protocol';
import type { LpaContext } from './context.js';
import { getEuiccConfiguredAddresses } from './es10-client/es10a.js';
import { getEuiccInfo2 } from './es10-client/es10b.js';
import { getEid } from './es10-client/es10c.js';

export interface EuiccInfoSummary {
  readonly eid: string;
  readonly defaultDpAddress?: string;
  readonly rootDsAddress: string;
  readonly svn: string;
  readonly profileVersion: string;
  readonly euiccFirmwareVer: string;
  readonly euiccCiPKIdListForVerification: string[];
  readonly euiccCiPKIdListForSigning: string[];
  readonly rspCapability: string[];
  readonly sasAcreditationNumber: string;
}

const version = (bytes: Uint8Array): string => [...bytes].join('.');

export function summarizeEuiccInfo2(info: EUICCInfo2): Omit<EuiccInfoSummary, 'eid' | 'defaultDpAddress' | 'rootDsAddress'> {
  return {
    svn: version(info.svn),
    profileVersion: version(info.profileVersion),
    euiccFirmwareVer: version(info.euiccFirmwareVer),
    euiccCiPKIdListForVerification: info.euiccCiPKIdListForVerification.map((id) => toHex(id, 'upper')),
    euiccCiPKIdListForSigning: info.euiccCiPKIdListForSigning.map((id) => toHex(id, 'upper')),
    rspCapability: namesInBitString(RspCapability, info.rspCapability),
    sasAcreditationNumber: info.sasAcreditationNumber,
  };
}

export async function euiccInfo(context: LpaContext): Promise<EuiccInfoSummary> {
  const eid = await getEid(context.channel);
  const addresses = await getEuiccConfiguredAddresses(context.channel);
  const info2 = await getEuiccInfo2(context.channel);
  return {
    eid: toHex(eid, 'upper'),
    ...(addresses.defaultDpAddress === undefined ? {} : { defaultDpAddress: addresses.defaultDpAddress }),
    rootDsAddress: addresses.rootDsAddress,
    ...summarizeEuiccInfo2(info2),
  };
}
