import { Codes, SubjectCodes, ReasonCodes, type StatusCode } from './codes.js';

const executionErrorCode: StatusCode = Codes.functionExecutionError;

export interface RspErrorOptions {
  /** Identifies the subject the code is about (e.g. the field name, an ICCID), §6.5.1.4 `subjectIdentifier`. */
  subjectIdentifier?: string;
  cause?: unknown;
}

function describe(code: StatusCode): string {
  const subject = Object.values(SubjectCodes).find((entry) => entry.code === code.subjectCode);
  const reason = Object.values(ReasonCodes).find((entry) => entry.code === code.reasonCode);
  return `${subject?.meaning ?? 'subject'} ${code.subjectCode} / ${reason?.meaning ?? 'reason'} ${code.reasonCode}`;
}

function meaningOf(code: StatusCode): string {
  const meaning: unknown = (code as { meaning?: unknown }).meaning;
  return typeof meaning === 'string' ? meaning : describe(code);
}

/**
 * The one base class of every error that an SGP.22 function reports to its caller: a subject code and
 * a reason code (SGP.22 v2.2.2 §6.5.1.4 `statusCodeData`), plus an optional subject identifier.
 * Only the HTTP adapter turns it into a `functionExecutionStatus` header; only the APDU adapter turns
 * it into an ASN.1 error result.
 */
export class RspError extends Error {
  readonly subjectCode: string;
  readonly reasonCode: string;
  readonly subjectIdentifier: string | undefined;

  constructor(code: StatusCode, message?: string, options: RspErrorOptions = {}) {
    super(message ?? meaningOf(code), { cause: options.cause });
    this.name = new.target.name;
    this.subjectCode = code.subjectCode;
    this.reasonCode = code.reasonCode;
    this.subjectIdentifier = options.subjectIdentifier;
  }

  /** The code pair, e.g. `{ subjectCode: '8.10.1', reasonCode: '3.9' }`. */
  get statusCode(): StatusCode {
    return { subjectCode: this.subjectCode, reasonCode: this.reasonCode };
  }

  /** True when this error carries exactly the given code pair. */
  is(code: StatusCode): boolean {
    return this.subjectCode === code.subjectCode && this.reasonCode === code.reasonCode;
  }
}

/**
 * A status received from a peer (the `statusCodeData` of a `Failed` or `Expired` response), rebuilt as
 * an error on the client side. `status` keeps the peer's `functionExecutionStatus.status`.
 */
export class RemoteFunctionFailed extends RspError {
  readonly status: string;

  constructor(status: string, code: StatusCode, message: string | undefined, options: RspErrorOptions = {}) {
    super(code, message ?? `${describe(code)} (${status})`, options);
    this.status = status;
  }
}

/**
 * The RspError to report for anything a function threw: RspErrors as they are, anything else as a
 * generic execution error (1.6 / 4.2 unless another code is given) whose message does not expose the
 * internal error, which stays available as `cause` for the log.
 */
export function toRspError(error: unknown, fallback: StatusCode = executionErrorCode): RspError {
  if (error instanceof RspError) return error;
  return new RspError(fallback, undefined, { cause: error });
}
