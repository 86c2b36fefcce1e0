// Profile Policy Rules before a download (SGP.22 v2.2.2 §2.9.2 and §3.1.3.2): each PPR the profile
// metadata sets must be authorised by a rule of the eUICC's Rules Authorisation Table (ES10b.GetRAT) for
// the profile owner; a rule may demand the end user's consent. A PPR that no rule allows ends the download
// with CancelSession reason pprNotAllowed.
import {
  PprIds, ReasonCodes, RspError, SubjectCodes, bitIsSet, namesInBitString, type OperatorID, type RulesAuthorisationTable, type StoreMetadataRequest,
} from '@zkesim/protocol';

export interface PprDecision {
  /** PPRs the profile sets (pprUpdateControl is not a rule and needs no authorisation). */
  readonly pprs: string[];
  readonly allowed: boolean;
  readonly consentRequired: boolean;
}

/** The profile's PPRs are not allowed on this eUICC for this profile owner. */
export class PprNotAllowed extends RspError {
  constructor(pprs: readonly string[]) {
    super({ subjectCode: SubjectCodes.profile.code, reasonCode: ReasonCodes.notAllowed.code }, `the eUICC's rules authorisation table does not allow ${pprs.join(', ')} for this profile owner`);
  }
}

/** One nibble of a RAT mccMnc matches when equal or 'E' (wildcard, SGP.22 §2.9.2.2). */
function mccMncMatches(rule: Uint8Array, owner: Uint8Array): boolean {
  if (rule.length !== owner.length) return false;
  return [...rule].every((byte, index) => {
    const other = owner[index] ?? 0;
    const high = byte >> 4 === 0x0e || byte >> 4 === other >> 4;
    const low = (byte & 0x0f) === 0x0e || (byte & 0x0f) === (other & 0x0f);
    return high && low;
  });
}

function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
}

function operatorMatches(rule: OperatorID, owner: OperatorID): boolean {
  if (!mccMncMatches(rule.mccMnc, owner.mccMnc)) return false;
  if (rule.gid1 !== undefined && !bytesEqual(rule.gid1, owner.gid1)) return false;
  if (rule.gid2 !== undefined && !bytesEqual(rule.gid2, owner.gid2)) return false;
  return true;
}

export function decidePpr(metadata: StoreMetadataRequest, rat: RulesAuthorisationTable): PprDecision {
  const pprs = metadata.profilePolicyRules === undefined ? [] : namesInBitString(PprIds, metadata.profilePolicyRules).filter((name) => name !== 'pprUpdateControl');
  if (pprs.length === 0) return { pprs, allowed: true, consentRequired: false };
  const owner = metadata.profileOwner;
  let consentRequired = false;
  for (const ppr of pprs) {
    const bit = PprIds.named[ppr as keyof typeof PprIds.named];
    const rule = rat.find((entry) => bitIsSet(entry.pprIds, bit) && owner !== undefined && entry.allowedOperators.some((allowed) => operatorMatches(allowed, owner)));
    if (rule === undefined) return { pprs, allowed: false, consentRequired: false };
    consentRequired ||= bitIsSet(rule.pprFlags, 0);
  }
  return { pprs, allowed: true, consentRequired };
}
