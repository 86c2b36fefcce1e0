// ProfileInstallationResult (SGP.22 §5.7.6 / §2.5.6, tag BF37): signed by the eUICC over
// DER(ProfileInstallationResultData) and kept as the install notification until the LPA removes it.
import {
  EUICCResponse,
  NotificationEvent,
  ProfileInstallationResult,
  ProfileInstallationResultData,
  bitStringFromNames,
  type PEStatus,
} from '@zkesim/protocol';
import { signWithCredential } from './signing.js';
import type { EuiccCredential, NotificationRecord } from './state.js';

export type FinalResult =
  | { readonly kind: 'success'; readonly isdpAid: Uint8Array }
  | { readonly kind: 'error'; readonly bppCommandId: number; readonly errorReason: number; readonly peStatus?: PEStatus };

export interface InstallationResultInput {
  readonly transactionId: Uint8Array;
  readonly seqNumber: number;
  readonly notificationAddress: string;
  readonly iccid: Uint8Array | undefined;
  readonly smdpOid: string | undefined;
  readonly result: FinalResult;
  readonly credential: EuiccCredential;
}

/** Builds and signs the PIR; returns its DER and the notification record that keeps it. */
export function buildInstallationResult(input: InstallationResultInput): { der: Uint8Array; notification: NotificationRecord } {
  const profileInstallationResultData: ProfileInstallationResultData = {
    transactionId: input.transactionId,
    notificationMetadata: {
      seqNumber: BigInt(input.seqNumber),
      profileManagementOperation: bitStringFromNames(NotificationEvent, ['notificationInstall']),
      notificationAddress: input.notificationAddress,
      ...(input.iccid === undefined ? {} : { iccid: input.iccid }),
    },
    ...(input.smdpOid === undefined ? {} : { smdpOid: input.smdpOid }),
    finalResult: finalResultValue(input.result),
  };
  const euiccSignPIR = signWithCredential(input.credential, ProfileInstallationResultData.encode(profileInstallationResultData));
  const der = ProfileInstallationResult.encode({ profileInstallationResultData, euiccSignPIR });
  return {
    der,
    notification: {
      seqNumber: input.seqNumber,
      profileManagementOperation: 'notificationInstall',
      notificationAddress: input.notificationAddress,
      ...(input.iccid === undefined ? {} : { iccid: input.iccid }),
      pendingNotification: der,
    },
  };
}

function finalResultValue(result: FinalResult): ProfileInstallationResultData['finalResult'] {
  if (result.kind === 'success') {
    // SAIP §8.x: a successful installation reports one EUICCResponse with a single ok(0) PEStatus.
    return { successResult: { aid: result.isdpAid, simaResponse: EUICCResponse.encode({ peStatus: [{ status: 0 }] }) } };
  }
  const errorResult = { bppCommandId: result.bppCommandId, errorReason: result.errorReason };
  if (result.peStatus === undefined) return { errorResult };
  const simaResponse = EUICCResponse.encode({ peStatus: [result.peStatus], profileInstallationAborted: null });
  return { errorResult: { ...errorResult, simaResponse } };
}
