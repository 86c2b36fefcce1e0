// Lookup and update of installed profiles in an EuiccState (pure functions).
import { bitIsSet, bytesEqual, ProfileState } from '@zkesim/protocol';
import type { EuiccState, ProfileRecord } from './state.js';

export type ProfileIdentifier = { isdpAid: Uint8Array } | { iccid: Uint8Array };

export function findProfile(state: EuiccState, identifier: ProfileIdentifier): ProfileRecord | undefined {
  return state.profiles.find((profile) =>
    'iccid' in identifier ? bytesEqual(profile.iccid, identifier.iccid) : bytesEqual(profile.isdpAid, identifier.isdpAid),
  );
}

export function enabledProfile(state: EuiccState): ProfileRecord | undefined {
  return state.profiles.find((profile) => profile.profileState === ProfileState.named.enabled);
}

/** Returns `state` with `profile` (matched by ISD-P AID) replaced by `updated`. */
export function replaceProfile(state: EuiccState, profile: ProfileRecord, updated: ProfileRecord): EuiccState {
  return { ...state, profiles: state.profiles.map((p) => (bytesEqual(p.isdpAid, profile.isdpAid) ? updated : p)) };
}

export function removeProfile(state: EuiccState, profile: ProfileRecord): EuiccState {
  return { ...state, profiles: state.profiles.filter((p) => !bytesEqual(p.isdpAid, profile.isdpAid)) };
}

/** SGP.22 PprIds bit: ppr1 (disable not allowed), ppr2 (delete not allowed), ppr3 (delete on disable). */
export function hasPolicyRule(profile: ProfileRecord, bit: 1 | 2 | 3): boolean {
  const rules = profile.profilePolicyRules;
  return rules !== undefined && bitIsSet(rules, bit);
}
