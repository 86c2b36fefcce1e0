// `zkesim smdp order ICCID`: the profile, its latest order (whether it is reusable, lab mode) and, once installed, the chain anchor status of
// the installation result (pending in the SM-DP+'s store or the chain outbox, batched, submitted, anchored
// at a confirmed depth).
import { UnknownAnchorEvent, anchorEventId, openAnchorOutbox, type AnchorOutbox, type AnchorStatus } from '@zkesim/contracts';
import { iccidDigits, type Clock } from '@zkesim/protocol';
import type { SmdpConfig } from './config.js';
import type { OrderTransaction, Transactional } from './core/repository.js';

export interface OrderStatus {
  iccid: string;
  profileState: string | undefined;
  order?: { orderId: number; matchingId?: string; eid?: string; released: boolean; closed: boolean; closeReason?: string; reusable: boolean };
  anchor?: { eventId: string; state: AnchorStatus['state']; root?: string; transactionHash?: string; blockNumber?: number };
}

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : `0x${Buffer.from(bytes).toString('hex')}`);

/**
 * The record's status in the chain layer's outbox. A record the outbox does not know yet is still in the
 * SM-DP+'s own store, waiting for the anchor drain: the order's anchor event id is only ever written
 * together with that record, so it is pending.
 */
function anchorStatus(outbox: AnchorOutbox, eventId: string): AnchorStatus {
  try {
    return outbox.status(anchorEventId(eventId));
  } catch (error) {
    if (error instanceof UnknownAnchorEvent) return { eventId: anchorEventId(eventId), state: 'pending' };
    throw error;
  }
}

export interface OrderStatusSources {
  repository: Transactional<OrderTransaction>;
  clock: Clock;
  anchor: SmdpConfig['anchor'];
}

export async function orderStatus(sources: OrderStatusSources, iccid: string): Promise<OrderStatus> {
  const digits = iccidDigits(iccid);
  const { profile, order } = await sources.repository.transaction(async (tx) => ({ profile: await tx.getProfile(digits), order: await tx.getLatestOrderByIccid(digits) }));
  const status: OrderStatus = { iccid: digits, profileState: profile?.state };
  if (order !== undefined) {
    status.order = {
      orderId: order.orderId,
      ...(order.matchingId === undefined ? {} : { matchingId: order.matchingId }),
      ...(order.eid === undefined ? {} : { eid: order.eid }),
      released: order.releaseFlag,
      closed: order.closedAt !== undefined,
      ...(order.closeReason === undefined ? {} : { closeReason: order.closeReason }),
      // Lab mode: a reusable order stays open after each installation and has no download limit.
      reusable: order.reusable === true,
    };
  }
  if (order?.anchorEventId !== undefined && sources.anchor.enabled) {
    const outbox = openAnchorOutbox(sources.anchor.outboxDirectory, () => sources.clock.now());
    try {
      const anchor = anchorStatus(outbox, order.anchorEventId);
      status.anchor = {
        eventId: anchor.eventId,
        state: anchor.state,
        ...(anchor.root === undefined ? {} : { root: hex(anchor.root) }),
        ...(anchor.transactionHash === undefined ? {} : { transactionHash: hex(anchor.transactionHash) }),
        ...(anchor.blockNumber === undefined ? {} : { blockNumber: anchor.blockNumber }),
      };
    } finally {
      outbox.close();
    }
  }
  return status;
}
