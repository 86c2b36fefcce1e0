// The Rules Authorisation Table (SGP.22 §2.9.2): which operators may set which profile policy rules on this
// eUICC. GetRAT reports it, and a profile whose StoreMetadata asks for a rule the table does not grant to its
// owner is refused with pprNotAllowed (SGP.22 §5.7.6 ErrorReason 15).
import { PprIds, bitIsSet, bitStringFromNames, bitStringFromPositions, type OperatorID, type PprIds as PprIdsValue, type ProfilePolicyAuthorisationRule } from '@zkesim/protocol';
import type { Quirks } from './quirks.js';

/** mccMnc of all 'E' nibbles, the wildcard operator (SGP.22 §2.9.2: 'E' in a digit position matches every digit). */
const ANY_OPERATOR = Uint8Array.of(0xee, 0xee, 0xee);

/** The PPRs the RAT governs (PPR1 no disable, PPR2 no delete); pprUpdateControl and PPR3 need no authorisation. */
const GOVERNED_RULES = [
  { name: 'ppr1', bit: PprIds.named.ppr1 },
  { name: 'ppr2', bit: PprIds.named.ppr2 },
] as const;

/**
 * SPEC-AMBIGUITY: SGP.22 leaves the RAT content to the eUICC manufacturer. By default this emulator grants
 * PPR1 and PPR2 to every operator without end-user consent; the `ratGrantsNoPolicyRules` quirk models a card
 * whose RAT grants nothing.
 */
export function rulesAuthorisationTable(quirks: Quirks): ProfilePolicyAuthorisationRule[] {
  if (quirks.ratGrantsNoPolicyRules) return [];
  return [{ pprIds: bitStringFromNames(PprIds, ['ppr1', 'ppr2']), allowedOperators: [{ mccMnc: ANY_OPERATOR }], pprFlags: bitStringFromPositions([]) }];
}

function nibbles(bytes: Uint8Array): number[] {
  return [...bytes].flatMap((byte) => [byte >> 4, byte & 0x0f]);
}

function mccMncMatches(pattern: Uint8Array, owner: Uint8Array | undefined): boolean {
  const wanted = nibbles(pattern);
  if (owner === undefined) return wanted.every((nibble) => nibble === 0xe);
  const actual = nibbles(owner);
  return wanted.length === actual.length && wanted.every((nibble, i) => nibble === 0xe || nibble === actual[i]);
}

function sameOptional(pattern: Uint8Array | undefined, value: Uint8Array | undefined): boolean {
  return pattern === undefined || (value !== undefined && Buffer.from(pattern).equals(Buffer.from(value)));
}

function operatorMatches(allowed: OperatorID, owner: OperatorID | undefined): boolean {
  return mccMncMatches(allowed.mccMnc, owner?.mccMnc) && sameOptional(allowed.gid1, owner?.gid1) && sameOptional(allowed.gid2, owner?.gid2);
}

/** The first rule of `rules` that the RAT does not grant to `owner`, or undefined when all are granted. */
export function unauthorisedPolicyRule(rat: readonly ProfilePolicyAuthorisationRule[], rules: PprIdsValue | undefined, owner: OperatorID | undefined): string | undefined {
  if (rules === undefined) return undefined;
  for (const { name, bit } of GOVERNED_RULES) {
    if (!bitIsSet(rules, bit)) continue;
    const granted = rat.some((entry) => bitIsSet(entry.pprIds, bit) && entry.allowedOperators.some((allowed) => operatorMatches(allowed, owner)));
    if (!granted) return name;
  }
  return undefined;
}
