// The subscriber identity an order carries into its profile (ZK identity layer). The caller that knows it
// (the onboarding, which turns the operator's KYC into a Semaphore identity and a subscriber contract; a test
// until then) hands it to the SM-DP+ here; personalisation (inventory/personalise.ts) adds it to the profile
// as a SAIP PE-NonStandard, and the store drops it when the order closes (repository.ts, updateOrder).
import { decodeSubscriberIdentityToken, encodeSubscriberIdentityToken, type IccidDigits, type SubscriberIdentityInput } from '@zkesim/protocol';
import type { OrderTransaction } from './repository.js';

export class SubscriberIdentityRefused extends Error {
  override readonly name = 'SubscriberIdentityRefused';
}

/** Profile states in which the profile is not yet bound, so the identity still reaches the package. */
const notYetBound = new Set(['allocated', 'linked', 'confirmed', 'released']);

/**
 * Sets the identity of the open order of the profile `iccid`: `identity` as values, or as the DER of a
 * SubscriberIdentityToken (checked). Refused when there is no open order or its profile is already bound:
 * a Bound Profile Package that exists is reused by a retry (SGP.22 v2.2.2 §3.1.3) and would not carry it.
 */
export async function setOrderSubscriberIdentity(tx: OrderTransaction, iccid: IccidDigits, identity: SubscriberIdentityInput | Uint8Array): Promise<void> {
  const token = identity instanceof Uint8Array ? identity : encodeSubscriberIdentityToken(identity);
  decodeSubscriberIdentityToken(token);
  const order = await tx.getOpenOrderByIccid(iccid);
  if (order === undefined) throw new SubscriberIdentityRefused(`no open order for profile ${iccid}`);
  const profile = await tx.getProfile(iccid);
  if (profile === undefined || !notYetBound.has(profile.state)) {
    throw new SubscriberIdentityRefused(`the profile of order ${order.orderId} is ${profile?.state ?? 'missing'}; the identity must be set before it is bound`);
  }
  await tx.updateOrder(order.orderId, { subscriberIdentityToken: Uint8Array.from(token) });
}
