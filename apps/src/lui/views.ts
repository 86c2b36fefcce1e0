// What the LUI shows of the LPA's results and errors: plain JSON-able values (no bigint, no bytes), and every
// failure with its SGP.22 subject and reason code beside a sentence in plain words (protocol's plainWords).
import { DownloadAborted, Es10ResultError, ProfileInstallationFailed, type NotificationOutcome } from '@zkesim/lpa-core';
import { RspError, iccidToDigits, plainWords } from '@zkesim/protocol';

export interface ErrorView {
  /** For the user. */
  readonly plain: string;
  readonly subjectCode?: string;
  readonly reasonCode?: string;
  /** The technical message, shown folded. */
  readonly detail: string;
}

export interface NotificationView {
  readonly seqNumber: string;
  readonly event: string;
  readonly notificationAddress: string;
  readonly iccid?: string;
  readonly status: 'removed' | 'failed';
  readonly error?: string;
}

/** The innermost RspError: a DownloadAborted carries the failure of the step as its reason. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof DownloadAborted && current.reason instanceof RspError) current = current.reason;
  return current;
}

export function errorView(error: unknown): ErrorView {
  const detail = error instanceof Error ? error.message : String(error);
  const cause = rootCause(error);
  if (cause instanceof ProfileInstallationFailed) {
    return { plain: `${plainWords(cause.statusCode)} (the eSIM chip said: ${cause.errorReasonName}).`, subjectCode: cause.subjectCode, reasonCode: cause.reasonCode, detail };
  }
  if (cause instanceof Es10ResultError && cause.functionName === 'GetSubscriberIdentity') {
    // The vendor extension's identityError (ZkesimIdentity.asn): say what the user can do about it.
    const plain = cause.resultName === 'noEnabledProfile' ? 'No profile is in use. Enable one on the Profiles page.' : 'The profile in use carries no subscriber identity.';
    return { plain, subjectCode: cause.subjectCode, reasonCode: cause.reasonCode, detail };
  }
  if (cause instanceof RspError) return { plain: plainWords(cause.statusCode), subjectCode: cause.subjectCode, reasonCode: cause.reasonCode, detail };
  return { plain: 'Something went wrong.', detail };
}

export const EVENT_WORDS: Record<string, string> = {
  notificationInstall: 'installed',
  notificationEnable: 'enabled',
  notificationDisable: 'disabled',
  notificationDelete: 'deleted',
  unknown: 'changed',
};

export function notificationView(outcome: NotificationOutcome): NotificationView {
  return {
    seqNumber: outcome.seqNumber.toString(),
    event: outcome.event,
    notificationAddress: outcome.notificationAddress,
    ...(outcome.iccid === undefined ? {} : { iccid: iccidToDigits(outcome.iccid) }),
    status: outcome.status,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
}
