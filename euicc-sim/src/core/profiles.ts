// Lookup and update of installed profiles in an EuiccState (pure functions).
import { ProfileState } from '@zkesim/protocol';
import type { EuiccState, ProfileRecord } from './state.js';

export type ProfileIdentifier = { isdpAid: Uint8Array } | { iccid: Uint8Array };

export function findProfile(state: EuiccState, identifier: ProfileIdentifier): ProfileRecord | undefined {
  return state.profiles.find((profile) =>
    'iccid' in identifier ? equalBytes(profile.iccid, identifier.iccid) : equalBytes(profile.isdpAid, identifier.isdpAid),
  );
}

export function enabledProfile(state: EuiccState): ProfileRecord | undefined {
  return state.profiles.find((profile) => profile.profileState === ProfileState.named.enabled);
}

/** Returns `state` with `profile` (matched by ISD-P AID) replaced by `updated`. */
export function replaceProfile(state: EuiccState, profile: ProfileRecord, updated: ProfileRecord): EuiccState {
  return { ...state, profiles: state.profiles.map((p) => (equalBytes(p.isdpAid, profile.isdpAid) ? updated : p)) };
}

export function removeProfile(state: EuiccState, profile: ProfileRecord): EuiccState {
  return { ...state, profiles: state.profiles.filter((p) => !equalBytes(p.isdpAid, profile.isdpAid)) };
}

/** SGP.22 PprIds bit: ppr1 (disable not allowed), ppr2 (delete not allowed), ppr3 (delete on disable). */
export function hasPolicyRule(profile: ProfileRecord, bit: 1 | 2 | 3): boolean {
  const rules = profile.profilePolicyRules;
  if (rules === undefined) return false;
  const byte = rules.bytes[bit >> 3] ?? 0;
  return (byte & (0x80 >> (bit & 7))) !== 0;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
