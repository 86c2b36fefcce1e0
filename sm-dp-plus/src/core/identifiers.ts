// The SM-DP+'s own identifiers, with one validating constructor each. The spec identifiers (EID, ICCID,
// IMEI: EidDigits, IccidDigits, ImeiDigits and their codings) are protocol's; ES2+ carries them as digit
// strings (SGP.22 §5.3, §6.5.2) and the ASN.1 side converts them to bytes at the codec boundary. The
// MatchingID rule is protocol's too (the SM-DS checks EventIDs with it).
import { redactIdentifier } from '@zkesim/rsp-server';

export { matchingId, type MatchingId } from '@zkesim/protocol';

/**
 * The first 8 digits of an EID, for logs: enough to tell EUMs apart, not enough to identify a card. The
 * logger applies the same rule (rsp-server's redactIdentifier) to every `eid`, `iccid` and `imei` key.
 */
export function redactEid(eid: string): string {
  return redactIdentifier('eid', eid);
}
