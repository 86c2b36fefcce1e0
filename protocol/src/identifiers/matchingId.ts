// MatchingID (AC_Token in an activation code, EventID at an SM-DS): SGP.22 v2.2.2 §4.1 says it is printable
// and that `$` delimits the activation code's fields. The one home of the rule, for the SM-DP+ and the SM-DS.
import { InvalidIdentifier } from './errors.js';

export type MatchingId = string & { readonly __brand: 'MatchingId' };

/**
 * SPEC-AMBIGUITY: v2 gives no length; we accept 1..64 characters of [A-Za-z0-9-._], which covers the forms
 * operators use and keeps the value safe inside an activation code and a log line.
 */
export function matchingId(value: string, field = 'matchingId'): MatchingId {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new InvalidIdentifier(field, 'must be 1 to 64 characters of A-Z, a-z, 0-9, "-", "." or "_"');
  }
  return value as MatchingId;
}
