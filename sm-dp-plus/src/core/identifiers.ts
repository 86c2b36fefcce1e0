// The SM-DP+'s own identifiers, with one validating constructor each. The spec identifiers (EID, ICCID,
// IMEI: EidDigits, IccidDigits, ImeiDigits and their codings) are protocol's; ES2+ carries them as digit
// strings (SGP.22 §5.3, §6.5.2) and the ASN.1 side converts them to bytes at the codec boundary.
import { InvalidIdentifier } from '@zkesim/protocol';
import { redactIdentifier } from '@zkesim/rsp-server';

export type MatchingId = string & { readonly __brand: 'MatchingId' };

/**
 * MatchingID (AC_Token / EventID). SGP.22 §4.1: printable, and `$` is the activation code delimiter.
 * SPEC-AMBIGUITY: no length is given in v2; we accept 1..64 characters of [A-Za-z0-9-._], which covers
 * the forms operators use and keeps the value safe inside an activation code and a log line.
 */
export function matchingId(value: string, field = 'matchingId'): MatchingId {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new InvalidIdentifier(field, 'must be 1 to 64 characters of A-Z, a-z, 0-9, "-", "." or "_"');
  }
  return value as MatchingId;
}

/**
 * The first 8 digits of an EID, for logs: enough to tell EUMs apart, not enough to identify a card. The
 * logger applies the same rule (rsp-server's redactIdentifier) to every `eid`, `iccid` and `imei` key.
 */
export function redactEid(eid: string): string {
  return redactIdentifier('eid', eid);
}
