// The LPA's own error conditions, as RspError subclasses: each names the condition and
// carries a subject/reason code from protocol's tables, so the CLI and callers handle one error shape.
import { BppCommandId, ErrorReason, InvalidIdentifier, ReasonCodes, RspError, SubjectCodes, nameOfNumber, type StatusCode } from '@zkesim/protocol';

/** The card answered a status word other than 9000/61xx (ISO 7816-4); raised by protocol's Es10Channel. */
export { CardStatusError } from '@zkesim/protocol';

function code(subject: keyof typeof SubjectCodes, reason: keyof typeof ReasonCodes): StatusCode {
  return { subjectCode: SubjectCodes[subject].code, reasonCode: ReasonCodes[reason].code };
}

/** An activation code that does not follow SGP.22 §4.1; `field` names the offending part. */
export class InvalidActivationCode extends RspError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(code('matchingId', 'invalid'), `invalid activation code (${field}): ${detail}`, { subjectIdentifier: field });
  }
}

/** A user-supplied value (ICCID, AID, TAC, IMEI, address) that is malformed. */
export class InvalidInput extends RspError {
  constructor(field: string, detail: string, cause?: unknown) {
    super(code('function', 'invalid'), `${field}: ${detail}`, { subjectIdentifier: field, cause });
  }
}

/** Runs one of protocol's identifier constructors on user input; a malformed value becomes an InvalidInput. */
export function fromUserInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new InvalidInput(error.field, error.detail, error);
    throw error;
  }
}

/** The card could not be reached: reader or connection gone, helper process stopped, lock held elsewhere. */
export class TransportError extends RspError {
  constructor(detail: string, cause?: unknown) {
    super(code('euicc', 'inaccessible'), detail, { cause });
  }
}

/** An ES10 function answered with an error result (e.g. enableResult = profileNotInDisabledState). */
export class Es10ResultError extends RspError {
  constructor(
    readonly functionName: string,
    readonly resultCode: number,
    readonly resultName: string,
    status: StatusCode = code('euicc', 'executionError'),
  ) {
    super(status, `${functionName} failed on the eUICC: ${resultName} (${resultCode})`);
  }
}

/** The card's answer could not be used (wrong tag, not DER). */
export class CardResponseInvalid extends RspError {
  constructor(functionName: string, cause: unknown) {
    super(code('euicc', 'invalid'), `${functionName}: the eUICC's response is not valid (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

/** The SM-DP+ (or SM-DS) could not be reached or answered outside the JSON binding (non-2xx, not JSON). */
export class ServerUnreachable extends RspError {
  constructor(
    address: string,
    detail: string,
    cause?: unknown,
    /** True when the server did not answer in time (the download is then cancelled with reason timeout). */
    readonly timedOut = false,
  ) {
    super(code('smdpPlus', 'inaccessible'), `cannot talk to ${address}: ${detail}`, { subjectIdentifier: address, cause });
  }
}

/** The SM-DP+ requires a confirmation code and none could be obtained (SGP.22 §3.1.3.3, ccRequiredFlag). */
export class ConfirmationCodeRequired extends RspError {
  constructor() {
    super(code('confirmationCode', 'mandatoryElementMissing'), 'the SM-DP+ requires a confirmation code: pass --confirmation-code CC (or run in a terminal to be asked)');
  }
}

/** The end user declined the download (profile metadata shown, consent refused). */
export class DownloadRejected extends RspError {
  constructor() {
    super(code('profile', 'refused'), 'the download was declined by the user');
  }
}

/** What became of the installation result's notification when the LPA sent it (a NotificationOutcome). */
export interface InstallationResultDelivery {
  readonly status: 'removed' | 'failed';
  readonly error?: string;
}

/**
 * The eUICC ended the installation with an errorResult in its ProfileInstallationResult (§5.7.6). The PIR
 * is the install notification `notificationSeqNumber`; `notifications` says whether it reached the SM-DP+
 * (§3.1.3.4: the LPA delivers it whatever the result), empty when it was not sent.
 */
export class ProfileInstallationFailed extends RspError {
  readonly bppCommandIdName: string;
  readonly errorReasonName: string;

  constructor(
    readonly bppCommandId: number,
    readonly errorReason: number,
    readonly notificationSeqNumber?: bigint,
    readonly notifications: readonly InstallationResultDelivery[] = [],
  ) {
    const bppCommandIdName = nameOfNumber(BppCommandId.named, bppCommandId) ?? 'unknown';
    const errorReasonName = nameOfNumber(ErrorReason.named, errorReason) ?? 'unknown';
    super(
      code('profile', 'executionError'),
      `the eUICC refused the profile: bppCommandId ${bppCommandIdName} (${bppCommandId}), errorReason ${errorReasonName} (${errorReason})${deliveryText(notifications)}`,
    );
    this.bppCommandIdName = bppCommandIdName;
    this.errorReasonName = errorReasonName;
  }

  /** The same failure once the LPA has tried to deliver the installation result. */
  delivered(notifications: readonly InstallationResultDelivery[]): ProfileInstallationFailed {
    return new ProfileInstallationFailed(this.bppCommandId, this.errorReason, this.notificationSeqNumber, notifications);
  }
}

function deliveryText(notifications: readonly InstallationResultDelivery[]): string {
  const [outcome] = notifications;
  if (outcome === undefined) return '';
  if (outcome.status === 'removed') return '; the installation result was delivered to the SM-DP+';
  return `; the installation result could not be delivered (${outcome.error ?? 'unknown error'}) and stays on the eUICC`;
}

/** No stored BPP to retry for that transaction / ICCID. */
export class NoStoredDownload extends RspError {
  constructor(what: string) {
    super(code('profile', 'unknown'), `no stored bound profile package for ${what}`);
  }
}

/** The activation code names another SM-DP+ OID than the server's CERT.DPauth carries (SGP.22 §4.1). */
export class SmdpOidMismatch extends RspError {
  constructor(expected: string, found: readonly string[]) {
    super(code('smdpPlus', 'invalidAssociation'), `the activation code expects SM-DP+ OID ${expected}, but CERT.DPauth carries ${found.join(', ') || 'none'}`);
  }
}

/** Some notifications could not be delivered (they stay on the eUICC); the outcomes say which and why. */
export class NotificationsNotDelivered extends RspError {
  constructor(failed: readonly { seqNumber: bigint; error?: string }[], total: number) {
    super(code('smdpPlus', 'inaccessible'), `${failed.length} of ${total} notifications not delivered: ${failed.map((f) => `#${f.seqNumber} ${f.error ?? ''}`).join('; ')}`);
  }
}
