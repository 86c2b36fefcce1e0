// The fixed capabilities this software eUICC reports in EUICCInfo1 / EUICCInfo2 (SGP.22 §5.7.8, §4.3).
import { EUICCInfo2, EUICCInfo2_euiccCategory, RspCapability, UICCCapability, bitStringFromNames, encodeTlv, forbiddenProfilePolicyRules, type EUICCInfo1 } from '@zkesim/protocol';
import { rulesAuthorisationTable } from './rat.js';
import { subjectKeyIdentifierOf } from './certificates.js';
import { freeMemory, type EuiccState } from './state.js';

/** SGP.22 v2.2.2: the version whose ASN.1 module this eUICC implements. */
export const SVN = Uint8Array.of(2, 2, 2);
/** SAIP (eUICC Profile Package) version supported: 2.3.1. */
const PROFILE_VERSION = Uint8Array.of(2, 3, 1);
const FIRMWARE_VERSION = Uint8Array.of(1, 0, 0);
const JAVACARD_VERSION = Uint8Array.of(3, 0, 5);
const GLOBALPLATFORM_VERSION = Uint8Array.of(2, 3, 1);
const PP_VERSION = Uint8Array.of(0, 0, 1);
const SAS_ACCREDITATION_NUMBER = 'ZKESIM-SOFTWARE-EUICC';
/** Free volatile memory reported in extCardResource. */
const FREE_RAM_BYTES = 8 * 1024;

export function ciPKIdsForVerification(state: EuiccState): Uint8Array[] {
  return state.trustedCiCertificates.map((certificate) => subjectKeyIdentifierOf(certificate));
}

export function ciPKIdsForSigning(state: EuiccState): Uint8Array[] {
  return state.credentials.map((credential) => credential.ciPKId);
}

export function euiccInfo1(state: EuiccState): EUICCInfo1 {
  return { svn: SVN, euiccCiPKIdListForVerification: ciPKIdsForVerification(state), euiccCiPKIdListForSigning: ciPKIdsForSigning(state) };
}

export function euiccInfo2(state: EuiccState): EUICCInfo2 {
  return {
    profileVersion: PROFILE_VERSION,
    svn: SVN,
    euiccFirmwareVer: FIRMWARE_VERSION,
    extCardResource: extendedCardResource(state),
    uiccCapability: bitStringFromNames(UICCCapability, ['usimSupport', 'isimSupport', 'akaMilenage', 'akaTuak128', 'javacard']),
    javacardVersion: JAVACARD_VERSION,
    globalplatformVersion: GLOBALPLATFORM_VERSION,
    rspCapability: bitStringFromNames(RspCapability, ['additionalProfile', 'crlSupport', 'testProfileSupport']),
    euiccCiPKIdListForVerification: ciPKIdsForVerification(state),
    euiccCiPKIdListForSigning: ciPKIdsForSigning(state),
    // mediumEuicc: a consumer-device eUICC.
    euiccCategory: EUICCInfo2_euiccCategory.mediumEuicc,
    // The rules this card's RAT grants to no operator (§4.3): the SM-DP+ checks a profile's rules against them.
    forbiddenProfilePolicyRules: forbiddenProfilePolicyRules(rulesAuthorisationTable(state.quirks)),
    ppVersion: PP_VERSION,
    sasAcreditationNumber: SAS_ACCREDITATION_NUMBER,
  };
}

/**
 * ETSI TS 102 226 §8.2.1.7.2 extended card resource information: '81' number of installed applications,
 * '82' free non-volatile memory, '83' free volatile memory, each an unsigned big-endian integer.
 */
function extendedCardResource(state: EuiccState): Uint8Array {
  const parts = [
    encodeTlv(0x81, unsignedBytes(state.profiles.length)),
    encodeTlv(0x82, unsignedBytes(freeMemory(state))),
    encodeTlv(0x83, unsignedBytes(FREE_RAM_BYTES)),
  ];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function unsignedBytes(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Uint8Array.from(bytes);
}
