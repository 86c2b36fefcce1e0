// SGP.22 v2.2.2 §2.9.2, the Rules Authorisation Table, one test per rule of the check. The quoted
// sentences are paraphrases of §2.9.2 (and of the ASN.1 it defines), not the specification's wording.
import { describe, expect, it } from 'vitest';
import { PprIds, bitStringFromNames, bitStringFromPositions, type OperatorID, type ProfilePolicyAuthorisationRule } from '../asn1/index.js';
import { WILDCARD_MCC_MNC, authoriseProfilePolicyRules, forbiddenProfilePolicyRules, forbiddenRulesSetBy, operatorMatches, profilePolicyRulesOf } from './rat.js';

type RuleName = 'pprUpdateControl' | 'ppr1' | 'ppr2' | 'ppr3';

/** MCC 234 / MNC 15 in the 3GPP TS 24.008 layout: 32 F4 51. */
const VODAFONE_UK: OperatorID = { mccMnc: Uint8Array.of(0x32, 0xf4, 0x51) };
/** MCC 262 / MNC 02. */
const OTHER: OperatorID = { mccMnc: Uint8Array.of(0x62, 0xf2, 0x20) };

/** Profile metadata setting `rules`; `null` for a profile without a profileOwner. */
const profile = (rules: RuleName[], profileOwner: OperatorID | null = VODAFONE_UK) => ({
  profilePolicyRules: bitStringFromNames(PprIds, rules),
  ...(profileOwner === null ? {} : { profileOwner }),
});
const ppar = (rules: RuleName[], allowedOperators: OperatorID[], consentRequired = false): ProfilePolicyAuthorisationRule => ({
  pprIds: bitStringFromNames(PprIds, rules),
  allowedOperators,
  pprFlags: bitStringFromPositions(consentRequired ? [0] : []),
});

describe('Rules Authorisation Table (SGP.22 §2.9.2)', () => {
  it('"a Profile that sets no PPR needs no authorisation": allowed whatever the RAT holds', () => {
    expect(authoriseProfilePolicyRules({}, [])).toEqual({ pprs: [], allowed: true, consentRequired: false });
    expect(authoriseProfilePolicyRules(profile([]), [])).toEqual({ pprs: [], allowed: true, consentRequired: false });
  });

  it('"pprUpdateControl is not a PPR" (ASN.1 PprIds: it says how PPRs are updated over ES6): needs no authorisation', () => {
    expect(profilePolicyRulesOf(bitStringFromNames(PprIds, ['pprUpdateControl', 'ppr2']))).toEqual(['ppr2']);
    expect(authoriseProfilePolicyRules(profile(['pprUpdateControl']), []).allowed).toBe(true);
  });

  it('"a PPR is allowed when a PPAR lists it and lists the Profile Owner among its Allowed Operators"', () => {
    expect(authoriseProfilePolicyRules(profile(['ppr1']), [ppar(['ppr1'], [VODAFONE_UK])])).toEqual({ pprs: ['ppr1'], allowed: true, consentRequired: false });
  });

  it('"a PPR that no PPAR lists is not allowed", even for an operator the RAT knows', () => {
    const decision = authoriseProfilePolicyRules(profile(['ppr2']), [ppar(['ppr1'], [VODAFONE_UK])]);
    expect(decision).toEqual({ pprs: ['ppr2'], allowed: false, consentRequired: false, refused: 'ppr2' });
  });

  it('"a PPR is not allowed when the Profile Owner is not among the Allowed Operators of any PPAR listing it"', () => {
    expect(authoriseProfilePolicyRules(profile(['ppr1']), [ppar(['ppr1'], [OTHER])]).allowed).toBe(false);
  });

  it('"every PPR the Profile sets must be allowed": the first one that is not is named', () => {
    const decision = authoriseProfilePolicyRules(profile(['ppr1', 'ppr2']), [ppar(['ppr1'], [VODAFONE_UK])]);
    expect(decision.allowed).toBe(false);
    expect(decision.refused).toBe('ppr2');
    expect(authoriseProfilePolicyRules(profile(['ppr1', 'ppr2']), [ppar(['ppr1'], [VODAFONE_UK]), ppar(['ppr2'], [VODAFONE_UK])]).allowed).toBe(true);
  });

  it('"an \'E\' in a digit position of the MCC/MNC matches any digit"', () => {
    expect(operatorMatches({ mccMnc: WILDCARD_MCC_MNC }, VODAFONE_UK)).toBe(true);
    expect(operatorMatches({ mccMnc: Uint8Array.of(0x32, 0xf4, 0xee) }, VODAFONE_UK)).toBe(true);
    expect(operatorMatches({ mccMnc: Uint8Array.of(0x32, 0xf4, 0xee) }, OTHER)).toBe(false);
    expect(authoriseProfilePolicyRules(profile(['ppr2']), [ppar(['ppr2'], [{ mccMnc: WILDCARD_MCC_MNC }])]).allowed).toBe(true);
  });

  it('"an operator may also be identified by GID1 and GID2": an Allowed Operator naming a GID matches only that GID', () => {
    const withGid1 = { ...VODAFONE_UK, gid1: Uint8Array.of(0x01) };
    expect(operatorMatches(withGid1, { ...VODAFONE_UK, gid1: Uint8Array.of(0x01) })).toBe(true);
    expect(operatorMatches(withGid1, { ...VODAFONE_UK, gid1: Uint8Array.of(0x02) })).toBe(false);
    expect(operatorMatches(withGid1, VODAFONE_UK)).toBe(false);
    expect(operatorMatches({ ...VODAFONE_UK, gid2: Uint8Array.of(0x07) }, { ...VODAFONE_UK, gid2: Uint8Array.of(0x07) })).toBe(true);
    expect(operatorMatches(VODAFONE_UK, { ...VODAFONE_UK, gid1: Uint8Array.of(0x01), gid2: Uint8Array.of(0x02) })).toBe(true);
  });

  it('"the PPAR\'s consentRequired flag tells the LPA to ask the End User before installing"', () => {
    expect(authoriseProfilePolicyRules(profile(['ppr1']), [ppar(['ppr1'], [VODAFONE_UK], true)])).toEqual({ pprs: ['ppr1'], allowed: true, consentRequired: true });
    expect(authoriseProfilePolicyRules(profile(['ppr1', 'ppr2']), [ppar(['ppr1'], [VODAFONE_UK]), ppar(['ppr2'], [VODAFONE_UK], true)]).consentRequired).toBe(true);
  });

  it('the first PPAR in table order that allows the PPR decides whether consent is required', () => {
    const rat = [ppar(['ppr1'], [VODAFONE_UK]), ppar(['ppr1', 'ppr2'], [{ mccMnc: WILDCARD_MCC_MNC }], true)];
    expect(authoriseProfilePolicyRules(profile(['ppr1']), rat).consentRequired).toBe(false);
    expect(authoriseProfilePolicyRules(profile(['ppr1'], OTHER), rat).consentRequired).toBe(true);
  });

  it('PPR3 is authorised like PPR1 and PPR2 (SPEC-AMBIGUITY in rat.ts)', () => {
    expect(authoriseProfilePolicyRules(profile(['ppr3']), [ppar(['ppr1', 'ppr2'], [{ mccMnc: WILDCARD_MCC_MNC }])]).allowed).toBe(false);
    expect(authoriseProfilePolicyRules(profile(['ppr3']), [ppar(['ppr3'], [VODAFONE_UK])]).allowed).toBe(true);
  });

  it('"the Profile Owner must be among the Allowed Operators": a Profile with PPRs and no owner is refused, wildcard or not (SPEC-AMBIGUITY in rat.ts)', () => {
    const ownerless = profile(['ppr1'], null);
    expect('profileOwner' in ownerless).toBe(false);
    expect(authoriseProfilePolicyRules(ownerless, [ppar(['ppr1'], [{ mccMnc: WILDCARD_MCC_MNC }])])).toEqual({ pprs: ['ppr1'], allowed: false, consentRequired: false, refused: 'ppr1' });
    expect(authoriseProfilePolicyRules({ profilePolicyRules: bitStringFromNames(PprIds, []) }, []).allowed).toBe(true);
  });
});

describe('forbidden Profile Policy Rules (SGP.22 §2.9, EUICCInfo2.forbiddenProfilePolicyRules)', () => {
  it('an eUICC reports as forbidden the rules its RAT grants to no operator', () => {
    expect(profilePolicyRulesOf(forbiddenProfilePolicyRules([ppar(['ppr1', 'ppr2'], [WILDCARD_MCC_MNC_OPERATOR])]))).toEqual(['ppr3']);
    expect(profilePolicyRulesOf(forbiddenProfilePolicyRules([]))).toEqual(['ppr1', 'ppr2', 'ppr3']);
  });

  it('names the rules a profile sets that the eUICC forbids, none when it forbids nothing', () => {
    const forbidden = bitStringFromNames(PprIds, ['ppr2', 'ppr3']);
    expect(forbiddenRulesSetBy(profile(['ppr1', 'ppr2']).profilePolicyRules, forbidden)).toEqual(['ppr2']);
    expect(forbiddenRulesSetBy(profile(['ppr1']).profilePolicyRules, forbidden)).toEqual([]);
    expect(forbiddenRulesSetBy(profile(['ppr1']).profilePolicyRules, undefined)).toEqual([]);
    expect(forbiddenRulesSetBy(undefined, forbidden)).toEqual([]);
  });
});

const WILDCARD_MCC_MNC_OPERATOR: OperatorID = { mccMnc: WILDCARD_MCC_MNC };
