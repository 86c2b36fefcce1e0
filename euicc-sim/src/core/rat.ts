// The Rules Authorisation Table of this eUICC (SGP.22 §2.9.2): which operators may set which profile policy
// rules. GetRAT reports it, and the installation checks a profile's rules against it with protocol's
// authoriseProfilePolicyRules (refused: ErrorReason pprNotAllowed, SGP.22 §5.7.6).
import { PprIds, WILDCARD_MCC_MNC, bitStringFromNames, bitStringFromPositions, type ProfilePolicyAuthorisationRule } from '@zkesim/protocol';
import type { Quirks } from './quirks.js';

/**
 * SPEC-AMBIGUITY: SGP.22 leaves the RAT content to the eUICC manufacturer. By default this emulator grants
 * PPR1 and PPR2 to every operator without end-user consent; the `ratGrantsNoPolicyRules` quirk models a card
 * whose RAT grants nothing.
 */
export function rulesAuthorisationTable(quirks: Quirks): ProfilePolicyAuthorisationRule[] {
  if (quirks.ratGrantsNoPolicyRules) return [];
  return [{ pprIds: bitStringFromNames(PprIds, ['ppr1', 'ppr2']), allowedOperators: [{ mccMnc: WILDCARD_MCC_MNC }], pprFlags: bitStringFromPositions([]) }];
}
