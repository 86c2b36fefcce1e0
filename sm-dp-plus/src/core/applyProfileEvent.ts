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

/**
 * `profile`: its ICCID (the state is read first), or the profile as this transaction already read it. Either way
 * the write is the compare-and-set of the storage contract (3), so a state that changed since is StaleState.
 */
export async function applyProfileEvent(
  tx: OrderTransaction,
  profile: IccidDigits | Pick<ProfileRecord, 'iccid' | 'state'>,
  event: ProfileEvent,
  at: number,
): Promise<ProfileStateChange> {
  const current = typeof profile === 'string' ? await tx.getProfile(profile) : profile;
  if (current === undefined) throw new UnknownProfile(profile as string);
  const change: ProfileStateChange = { iccid: current.iccid, from: current.state, to: nextProfileState(current.state, event), event, at };
  await tx.setProfileState(change);
  return change;
}
