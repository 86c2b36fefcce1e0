// The JSON header (SGP.22 v2.2.2 §6.5.1.3 requests, §6.5.1.4 responses).
import type { RspError, StatusCode } from '../errors/index.js';

/** `functionExecutionStatus.status` values. */
export const executionStatuses = ['Executed-Success', 'Executed-WithWarning', 'Failed', 'Expired'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** `statusCodeData`: present for Failed, Expired and Executed-WithWarning. */
export interface StatusCodeData extends StatusCode {
  subjectIdentifier?: string;
  message?: string;
}

export interface FunctionExecutionStatus {
  status: ExecutionStatus;
  statusCodeData?: StatusCodeData;
}

/** The header of every response that has a body. */
export interface ResponseHeader {
  functionExecutionStatus: FunctionExecutionStatus;
}

/** The header of ES2+ and ES12 requests (server to server); ES9+ and ES11 requests carry none. */
export interface RequestHeader {
  functionRequesterIdentifier: string;
  functionCallIdentifier: string;
}

/** `{ functionExecutionStatus: { status: 'Executed-Success' } }`. */
export function successHeader(): ResponseHeader {
  return { functionExecutionStatus: { status: 'Executed-Success' } };
}

/** The header reporting an RspError (`Failed` unless another status is given, e.g. `Expired`). */
export function failureHeader(error: RspError, status: Exclude<ExecutionStatus, 'Executed-Success'> = 'Failed'): ResponseHeader {
  const statusCodeData: StatusCodeData = { subjectCode: error.subjectCode, reasonCode: error.reasonCode };
  if (error.subjectIdentifier !== undefined) statusCodeData.subjectIdentifier = error.subjectIdentifier;
  if (error.message !== '') statusCodeData.message = error.message;
  return { functionExecutionStatus: { status, statusCodeData } };
}
