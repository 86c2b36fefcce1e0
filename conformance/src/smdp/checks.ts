// Assertions on ES9+ answers shared by the SM-DP+ cases: exact status, exact subject/reason codes.
import { Codes, type StatusCode } from '@zkesim/protocol';
import type { CaseContext } from '../runner/model.js';
import type { Es9Answer } from './session.js';

export type CodeName = keyof typeof Codes;

/** `subject / reason` of a code of protocol's SGP.22 table. */
export function codeText(code: StatusCode): string {
  return `${code.subjectCode} / ${code.reasonCode}`;
}

/** Asserts an HTTP 200 `Failed` answer with exactly `code` (and, when given, the subjectIdentifier). */
export function expectFailure(t: CaseContext, fn: string, answer: Es9Answer, code: CodeName | StatusCode, subjectIdentifier?: string): void {
  const expected = codeText(typeof code === 'string' ? Codes[code] : code);
  t.equal(`${fn} HTTP status`, '200', String(answer.http.status));
  t.equal(`${fn} functionExecutionStatus.status`, 'Failed', answer.status);
  t.equal(`${fn} statusCodeData (subject / reason)`, expected, answer.code);
  if (subjectIdentifier !== undefined) t.equal(`${fn} statusCodeData.subjectIdentifier`, subjectIdentifier, answer.subjectIdentifier);
}

/** Asserts an HTTP 200 `Executed-Success` answer. */
export function expectSuccess(t: CaseContext, fn: string, answer: Es9Answer): void {
  t.equal(`${fn} HTTP status`, '200', String(answer.http.status));
  t.equal(`${fn} functionExecutionStatus.status`, 'Executed-Success', answer.status === 'Failed' ? `Failed (${answer.code ?? '?'})` : answer.status);
}

/** For preconditions: throws unless the answer is Executed-Success. */
export function mustSucceed(fn: string, answer: Es9Answer): Es9Answer {
  if (answer.http.status !== 200 || answer.status !== 'Executed-Success') {
    throw new Error(`${fn} answered HTTP ${answer.http.status} ${answer.status ?? ''} ${answer.code ?? ''}`.trim());
  }
  return answer;
}
