// The subscriber identity an order carries into its profile (ZK identity layer). The caller that knows it
// (the onboarding, which turns the operator's KYC into a Semaphore identity and a subscriber contract; a test
// until then) hands it to the SM-DP+ here; personalisation (inventory/personalise.ts) adds it to the profile
// as a SAIP PE-NonStandard, and the store drops it when the order closes (repository.ts, updateOrder).
import {
  decodeSubscriberIdentityToken, encodeSubscriberIdentityToken, fromHex, iccidDigits, HexFormatError, SubscriberIdentityInvalid, type IccidDigits,
  type SubscriberIdentityInput,
} from '@zkesim/protocol';
import type { ActivityTagTransaction, OrderTransaction, Transactional } from './repository.js';

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

/**
 * The SM-DP+'s part of a subscriber's erasure (contracts/src/identity/erasure.ts, `SubscriberLinkEraser`): for
 * each profile the onboarding gave the identity to, the unused activity tags go (later events of the profile
 * are no longer anchored under the identity) and an open order drops the identity token (the profile then
 * downloads without it). The SM-DP+ keeps no commitment, so there is nothing else that names the identity.
 */
export function smdpSubscriberEraser(store: Transactional<OrderTransaction & ActivityTagTransaction>): {
  eraseSubscriberLinks(iccids: readonly string[]): Promise<{ activityTagsErased: number; identityTokensDropped: number }>;
} {
  return {
    eraseSubscriberLinks: (iccids) =>
      store.transaction(async (tx) => {
        let activityTagsErased = 0;
        let identityTokensDropped = 0;
        for (const text of iccids) {
          const iccid = iccidDigits(text);
          if (await tx.eraseActivityTags(iccid)) activityTagsErased += 1;
          const order = await tx.getOpenOrderByIccid(iccid);
          if (order?.subscriberIdentityToken !== undefined) {
            await tx.updateOrder(order.orderId, { subscriberIdentityToken: undefined });
            identityTokensDropped += 1;
          }
        }
        return { activityTagsErased, identityTokensDropped };
      }),
  };
}

/**
 * The identity as JSON text gives it (`zkesim smdp order-identity`, and the onboarding's API later):
 * `{ commitment, subscriberContract, chainId, registry, identitySecret }`, the commitment in decimal or 0x hex,
 * the addresses and the 32-byte secret in hex. Errors name the field, never its value.
 */
export function parseSubscriberIdentityInput(value: unknown): SubscriberIdentityInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SubscriberIdentityInvalid('the identity must be a JSON object');
  const fields = value as Record<string, unknown>;
  const known = new Set(['commitment', 'subscriberContract', 'chainId', 'registry', 'identitySecret']);
  for (const key of Object.keys(fields)) if (!known.has(key)) throw new SubscriberIdentityInvalid(`unknown field ${key}`);
  const text = (key: string): string => {
    const item = fields[key];
    if (typeof item !== 'string' || item === '') throw new SubscriberIdentityInvalid(`${key} must be a non-empty string`);
    return item;
  };
  const commitmentText = text('commitment');
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(commitmentText)) throw new SubscriberIdentityInvalid('commitment must be a decimal or 0x-hex number');
  const secretHex = text('identitySecret').replace(/^0x/i, '');
  let identitySecret: Uint8Array;
  try {
    identitySecret = fromHex(secretHex, 'identitySecret');
  } catch (error) {
    if (error instanceof HexFormatError) throw new SubscriberIdentityInvalid('identitySecret must be 32 bytes in hex');
    throw error;
  }
  if (typeof fields.chainId !== 'number') throw new SubscriberIdentityInvalid('chainId must be a number');
  return { commitment: BigInt(commitmentText), subscriberContract: text('subscriberContract'), chainId: fields.chainId, registry: text('registry'), identitySecret };
}
