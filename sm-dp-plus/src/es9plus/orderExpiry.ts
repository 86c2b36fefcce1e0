// The end of a download order's life (ES2+ DownloadOrder's lifetime, refused in ES9+ with 8.8.5 / 4.1,
// SGP.22 v2.2.2 §5.6.3): an expired order is closed and its profile goes to Error, whether it was only released
// or already bound, so nothing stays Downloaded for ever. Applied when an LPA comes back for the order and, for
// orders nobody comes back for, by the periodic sweep.
import { Codes, RspError } from '@zkesim/protocol';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { CoreDeps } from '../core/deps.js';
import type { OrderRecord, OrderTransaction } from '../core/repository.js';
import { NotificationPoint, queueDownloadProgressInfo, type NotificationPointId } from '../es2plus/handleDownloadProgressInfo.js';
import { closeOrder } from '../core/closeOrder.js';

/** The refusal an LPA gets for an expired order. */
export function orderExpired(): RspError {
  return new RspError(Codes.downloadOrderExpired, undefined, { subjectIdentifier: 'matchingId' });
}

export function isExpired(order: OrderRecord, now: number): boolean {
  return order.expiresAt !== undefined && order.expiresAt <= now;
}

/**
 * Closes an expired open order whose profile is Released or Downloaded (the states a download can leave
 * behind) and tells the operator at `point`; returns the refusal to give the LPA. Other states are left alone.
 */
export async function closeExpiredOrder(
  tx: OrderTransaction & OutboxTransaction,
  order: OrderRecord,
  now: number,
  report: { point: NotificationPointId; callId: string },
): Promise<RspError> {
  const refusal = orderExpired();
  const profile = await tx.getProfile(order.iccid);
  if (profile === undefined || (profile.state !== 'released' && profile.state !== 'downloaded')) return refusal;
  await applyProfileEvent(tx, profile, 'downloadAborted', now);
  await closeOrder(tx, order, now, refusal.message);
  await queueDownloadProgressInfo(
    tx, order, profile,
    { notificationPointId: report.point, failure: { ...refusal.statusCode, message: refusal.message } },
    now, report.callId,
  );
  return refusal;
}

/** The sweep: closes up to `limit` expired open orders; returns how many it closed. */
export async function expireOrders(deps: Pick<CoreDeps, 'clock' | 'repository' | 'logger'>, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const closed = await deps.repository.transaction(async (tx) => {
    const expired = await tx.findExpiredOpenOrders(now, limit);
    const iccids: string[] = [];
    for (const order of expired) {
      const profile = await tx.getProfile(order.iccid);
      if (profile?.state !== 'released' && profile?.state !== 'downloaded') continue;
      await closeExpiredOrder(tx, order, now, { point: NotificationPoint.eligibilityCheck, callId: `expiry-${order.orderId}` });
      iccids.push(order.iccid);
    }
    return iccids;
  });
  if (closed.length > 0) deps.logger.info({ function: 'expireOrders', iccids: closed }, 'expired download orders closed');
  return closed.length;
}
