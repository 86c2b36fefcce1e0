// The one way the core changes a profile's state: look the event up in the transition table, then
// compare-and-set in storage (inside the caller's transaction) and record the change in the history.
import { nextProfileState, type ProfileEvent } from './profileLifecycle.js';
import type { OrderTransaction, ProfileRecord, ProfileStateChange } from './repository.js';
import type { IccidDigits } from '@zkesim/protocol';

export class UnknownProfile extends Error {
  override readonly name = 'UnknownProfile';
  constructor(readonly iccid: string) {
    super(`no profile with ICCID ${iccid}`);
  }
}

export async function applyProfileEvent(
  tx: OrderTransaction,
  iccid: IccidDigits,
  event: ProfileEvent,
  at: number,
): Promise<ProfileStateChange> {
  const profile: ProfileRecord | undefined = await tx.getProfile(iccid);
  if (profile === undefined) throw new UnknownProfile(iccid);
  const change: ProfileStateChange = { iccid, from: profile.state, to: nextProfileState(profile.state, event), event, at };
  await tx.setProfileState(change);
  return change;
}
