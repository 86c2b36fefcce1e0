// The subscriber identity of the enabled profile (ZK identity layer), read with the vendor ES10 extension.
import { iccidToDigits, viewSubscriberIdentity, type SubscriberIdentityView } from '@zkesim/protocol';
import type { LpaContext } from './context.js';
import { getSubscriberIdentity } from './es10-client/subscriberIdentity.js';

export interface SubscriberIdentity extends SubscriberIdentityView {
  /** The enabled profile the identity belongs to. */
  readonly iccid: string;
}

/** The public part only: the identity secret is not requested, so it does not leave the eUICC. */
export async function readSubscriberIdentity(context: LpaContext): Promise<SubscriberIdentity> {
  const result = await getSubscriberIdentity(context.channel, false);
  return { iccid: iccidToDigits(result.iccid), ...viewSubscriberIdentity(result.identity) };
}

/**
 * The public part and the identity secret, for making a Semaphore proof on the device. SECRET: the caller
 * must not log or store it (SECURITY.md, "Identity secret on the device").
 */
export async function readSubscriberIdentityWithSecret(context: LpaContext): Promise<{ identity: SubscriberIdentity; identitySecret: Uint8Array }> {
  const result = await getSubscriberIdentity(context.channel, true);
  if (result.identitySecret === undefined) throw new Error('GetSubscriberIdentity answered without the secret');
  return { identity: { iccid: iccidToDigits(result.iccid), ...viewSubscriberIdentity(result.identity) }, identitySecret: result.identitySecret };
}
