// Cancelling a download session on both ends (SGP.22 v2.2.2 §3.0.2, ES10b.CancelSession §5.7.14,
// ES9+.CancelSession §5.6.5): the eUICC signs the cancellation, the LPA forwards it to the SM-DP+.
import { CancelSessionReason, Codes, RspError } from '@zkesim/protocol';
import type { LpaContext } from '../context.js';
import { cancelSession } from '../es10-client/es10b.js';

export type CancelReasonName = keyof typeof CancelSessionReason.named;

export interface CancelOutcome {
  readonly reason: CancelReasonName;
  /** 'cancelled', or why it could not be. */
  readonly euicc: string;
  readonly smdp: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Cancels on the eUICC, then at the SM-DP+. Each side's outcome is reported rather than thrown, because
 * this runs while another error is already being reported; the caller attaches the outcome to that error.
 */
export async function cancelDownloadSession(context: LpaContext, smdpAddress: string, transactionId: Uint8Array, reason: CancelReasonName): Promise<CancelOutcome> {
  context.progress?.('cancelSession', reason);
  let signed: Uint8Array;
  try {
    signed = (await cancelSession(context.channel, transactionId, CancelSessionReason.named[reason])).bytes;
  } catch (error) {
    return { reason, euicc: `failed: ${describe(error)}`, smdp: 'not attempted (nothing signed by the eUICC)' };
  }
  try {
    await context.server(smdpAddress).cancelSession({ transactionId, cancelSessionResponse: signed });
    return { reason, euicc: 'cancelled', smdp: 'cancelled' };
  } catch (error) {
    return { reason, euicc: 'cancelled', smdp: `failed: ${describe(error)}` };
  }
}

/** A download that stopped at `step`; carries the cause's codes and what the cancellation did. */
export class DownloadAborted extends RspError {
  constructor(
    readonly step: string,
    readonly reason: unknown,
    readonly cancellation?: CancelOutcome,
    note?: string,
  ) {
    const code = reason instanceof RspError ? reason.statusCode : Codes.functionExecutionError;
    const cancelled = cancellation === undefined ? '' : `; session cancelled (${cancellation.reason}): eUICC ${cancellation.euicc}, SM-DP+ ${cancellation.smdp}`;
    super(code, `${step} failed: ${describe(reason)}${cancelled}${note === undefined ? '' : `; ${note}`}`, { cause: reason });
  }
}
