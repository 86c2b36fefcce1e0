// `zkesim smdp order ICCID`: the profile, its latest order and, once installed, the chain anchor status of
// the installation result (pending in the outbox, batched, submitted, anchored at a confirmed depth).
import { anchorEventId, openAnchorOutbox, type AnchorStatus } from '@zkesim/contracts';
import { iccidDigits, type Clock } from '@zkesim/protocol';
import type { SmdpConfig } from './config.js';
import type { SmdpRepository } from './core/repository.js';

export interface OrderStatus {
  iccid: string;
  profileState: string | undefined;
  order?: { orderId: number; matchingId?: string; eid?: string; released: boolean; closed: boolean; closeReason?: string };
  anchor?: { eventId: string; state: AnchorStatus['state']; root?: string; transactionHash?: string; blockNumber?: number };
}

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : `0x${Buffer.from(bytes).toString('hex')}`);

export interface OrderStatusSources {
  repository: SmdpRepository;
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
    };
  }
  if (order?.anchorEventId !== undefined && sources.anchor.enabled) {
    const outbox = openAnchorOutbox(sources.anchor.outboxDirectory, () => sources.clock.now());
    try {
      const anchor = outbox.status(anchorEventId(order.anchorEventId));
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
