// Profile Policy Rules against the Rules Authorisation Table (SGP.22 v2.2.2 §2.9). The eUICC applies this
// check when it installs a profile (a refusal ends the installation with ErrorReason pprNotAllowed, §5.7.6)
// and the LPA applies the same check before it downloads one (§3.1.3.2: CancelSession reason pprNotAllowed,
// and End User consent when a rule asks for it). One implementation, so that both ends agree.
import { PprIds, bitIsSet, bitStringFromNames, type BitString, type OperatorID, type RulesAuthorisationTable } from '../asn1/index.js';
import { bytesEqual } from '../bytes.js';

/**
 * The Profile Policy Rules (§2.9.1; ASN.1 PprIds): PPR1 "Disabling of this Profile is not allowed", PPR2
 * "Deletion of this Profile is not allowed", PPR3 "Deletion of this Profile is required upon its successful
 * disabling". pprUpdateControl (bit 0) is not a rule: it says how the rules may be updated over ES6.
 */
export const PROFILE_POLICY_RULES = ['ppr1', 'ppr2', 'ppr3'] as const;
export type ProfilePolicyRule = (typeof PROFILE_POLICY_RULES)[number];

/** ProfilePolicyAuthorisationRule.pprFlags bit consentRequired(0). */
const CONSENT_REQUIRED_BIT = 0;

/** An mccMnc of 'E' nibbles only: the RAT's "any operator" (§2.9.2: 'E' in a digit position matches any digit). */
export const WILDCARD_MCC_MNC: Uint8Array = Uint8Array.of(0xee, 0xee, 0xee);

const WILDCARD_NIBBLE = 0xe;

/** What the RAT says about the rules a profile sets. */
export interface PprDecision {
  /** The rules the profile sets, in PprIds bit order. */
  readonly pprs: ProfilePolicyRule[];
  /** True when every one of them is authorised for the profile's owner. */
  readonly allowed: boolean;
  /** True when an authorising rule sets consentRequired: the LPA must ask the End User first. */
  readonly consentRequired: boolean;
  /** When not allowed: the first rule that no authorisation rule grants to this owner. */
  readonly refused?: ProfilePolicyRule;
}

/** The rules set in a profile's PprIds (pprUpdateControl left out). */
export function profilePolicyRulesOf(rules: BitString | undefined): ProfilePolicyRule[] {
  if (rules === undefined) return [];
  return PROFILE_POLICY_RULES.filter((name) => bitIsSet(rules, PprIds.named[name]));
}

/** One mccMnc against an allowed operator's, nibble by nibble, 'E' in the allowed one matching any nibble. */
function mccMncMatches(allowed: Uint8Array, owner: Uint8Array): boolean {
  if (allowed.length !== owner.length) return false;
  for (let i = 0; i < allowed.length; i += 1) {
    const rule = allowed[i] ?? 0;
    const actual = owner[i] ?? 0;
    const high = rule >> 4 === WILDCARD_NIBBLE || rule >> 4 === actual >> 4;
    const low = (rule & 0x0f) === WILDCARD_NIBBLE || (rule & 0x0f) === (actual & 0x0f);
    if (!high || !low) return false;
  }
  return true;
}

/**
 * True when `owner` is one of the operators `allowed` describes: its MCC/MNC matches (with wildcards), and
 * GID1 / GID2 are equal where the allowed operator names them (an absent GID in the RAT matches any).
 */
export function operatorMatches(allowed: OperatorID, owner: OperatorID): boolean {
  if (!mccMncMatches(allowed.mccMnc, owner.mccMnc)) return false;
  if (allowed.gid1 !== undefined && (owner.gid1 === undefined || !bytesEqual(allowed.gid1, owner.gid1))) return false;
  if (allowed.gid2 !== undefined && (owner.gid2 === undefined || !bytesEqual(allowed.gid2, owner.gid2))) return false;
  return true;
}

/**
 * Checks the rules a profile's metadata sets against the RAT (§2.9.2): a rule is authorised when a
 * ProfilePolicyAuthorisationRule lists it in pprIds and lists the Profile Owner among its allowedOperators.
 * The first such entry in table order decides whether End User consent is required for that rule. A profile
 * that sets no rule needs no authorisation.
 *
 * SPEC-AMBIGUITY: a profile that sets rules but has no profileOwner (the field is OPTIONAL in
 * StoreMetadataRequest). §2.9.2 authorises a rule for the Profile Owner, matched against allowedOperators,
 * and says nothing of a profile without one. With no owner there is no operator to match, not even against
 * the 'E' wildcard, which stands for any digit of an MCC/MNC and so needs one to stand for; so no rule is
 * authorised and the profile is refused (pprNotAllowed). Reading the wildcard as "also no operator" would let a
 * profile that names no Profile Owner set rules the RAT grants to operators, and fail-closed is the safer side.
 *
 * SPEC-AMBIGUITY: PPR3 is checked like PPR1 and PPR2. The RAT's pprIds can name it, and it constrains the
 * End User as the other two do, so it is not let through unauthorised.
 */
export function authoriseProfilePolicyRules(
  metadata: { readonly profilePolicyRules?: BitString | undefined; readonly profileOwner?: OperatorID | undefined },
  rat: RulesAuthorisationTable,
): PprDecision {
  const pprs = profilePolicyRulesOf(metadata.profilePolicyRules);
  const owner = metadata.profileOwner;
  let consentRequired = false;
  for (const ppr of pprs) {
    const bit = PprIds.named[ppr];
    const grant = owner === undefined ? undefined : rat.find((rule) => bitIsSet(rule.pprIds, bit) && rule.allowedOperators.some((allowed) => operatorMatches(allowed, owner)));
    if (grant === undefined) return { pprs, allowed: false, consentRequired: false, refused: ppr };
    consentRequired ||= bitIsSet(grant.pprFlags, CONSENT_REQUIRED_BIT);
  }
  return { pprs, allowed: true, consentRequired };
}

/**
 * The rules a RAT grants to no operator: what the eUICC reports in EUICCInfo2.forbiddenProfilePolicyRules
 * (SGP.22 §4.3 EUICCInfo2, §2.9.2), so that the SM-DP+ can see, before it binds a profile, that the eUICC
 * would refuse its rules whoever the Profile Owner is.
 */
export function forbiddenProfilePolicyRules(rat: RulesAuthorisationTable): BitString {
  const forbidden = PROFILE_POLICY_RULES.filter((ppr) => !rat.some((rule) => bitIsSet(rule.pprIds, PprIds.named[ppr]) && rule.allowedOperators.length > 0));
  return bitStringFromNames(PprIds, forbidden);
}

/**
 * The rules a profile sets (its StoreMetadataRequest profilePolicyRules) that `forbidden`
 * (EUICCInfo2.forbiddenProfilePolicyRules) names: the SM-DP+'s eligibility check of §2.9 / §5.6.3.
 */
export function forbiddenRulesSetBy(profileRules: BitString | undefined, forbidden: BitString | undefined): ProfilePolicyRule[] {
  if (forbidden === undefined) return [];
  return profilePolicyRulesOf(profileRules).filter((ppr) => bitIsSet(forbidden, PprIds.named[ppr]));
}
