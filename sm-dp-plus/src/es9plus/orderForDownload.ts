// ES9+.AuthenticateClient, the order part (SGP.22 v2.2.2 §5.6.3):
// find the download order by MatchingID (AC_Token / EventID) or, without one, by EID (default SM-DP+),
// and refuse it with the spec's code when it is not downloadable for this eUICC and device.
import { Codes, RspError, type EidDigits } from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { deviceIneligibility, type ReceivedDeviceInfo } from '../core/deviceEligibility.js';
import type { MatchingId } from '../core/identifiers.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { OrderRecord, OrderTransaction, ProfileRecord } from '../core/repository.js';
import type { OrderPolicy } from '../core/deps.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';

export type OrderResolution = { order: OrderRecord; profile: ProfileRecord } | { refusal: RspError };

/**
 * Returns the order and profile to download, or a refusal. Refusals that must outlive the request (an
 * expired order is closed, the operator is told) are written here; the caller commits and then throws.
 */
export async function orderForDownload(
  tx: OrderTransaction & OutboxTransaction,
  policy: OrderPolicy,
  request: { eid: EidDigits; matchingId: string | undefined; device: ReceivedDeviceInfo; now: number; callId: string },
): Promise<OrderResolution> {
  const order = await findOrder(tx, request.eid, request.matchingId);
  if ('refusal' in order) return order;
  const profile = await tx.getProfile(order.iccid);
  if (profile === undefined) throw new Error(`order ${order.orderId} points at a missing profile`);
  const refuse = async (refusal: RspError, close: boolean): Promise<OrderResolution> => {
    if (close) {
      await applyProfileEvent(tx, profile.iccid, 'downloadAborted', request.now);
      await tx.updateOrder(order.orderId, { closedAt: request.now, closeReason: refusal.message });
    }
    await queueDownloadProgressInfo(
      tx, order, profile,
      { notificationPointId: NotificationPoint.eligibilityCheck, failure: { ...refusal.statusCode, message: refusal.message } },
      request.now, request.callId,
    );
    return { refusal };
  };
  if (order.eid !== undefined && order.eid !== request.eid) return { refusal: new RspError(Codes.eidMismatch, undefined, { subjectIdentifier: 'eid' }) };
  if (profile.state === 'confirmed') return { refusal: new RspError(Codes.profileNotReleased, undefined, { subjectIdentifier: 'iccid' }) };
  if (profile.state !== 'released') {
    // Already bound, installed or failed: the BPP is not available for a new binding (8.2 / 3.7).
    return { refusal: new RspError(Codes.bppNotAvailable, `profile is ${profile.state}`, { subjectIdentifier: 'iccid' }) };
  }
  if (order.expiresAt !== undefined && order.expiresAt <= request.now) {
    return refuse(new RspError(Codes.downloadOrderExpired, undefined, { subjectIdentifier: 'matchingId' }), true);
  }
  // Counted in one write, and decided on the count it returns: concurrent attempts cannot both pass the limit.
  if ((await tx.incrementDownloadAttempts(order.orderId)) > policy.downloadMaxAttempts) {
    return refuse(new RspError(Codes.downloadOrderRetriesExceeded, undefined, { subjectIdentifier: 'matchingId' }), true);
  }
  const ineligible = await deviceIneligibility(tx, request.device, order.deviceConstraints);
  if (ineligible !== undefined) return refuse(new RspError(Codes.noEligibleProfile, ineligible, { subjectIdentifier: 'deviceInfo' }), false);
  return { order, profile };
}

async function findOrder(tx: OrderTransaction, eid: EidDigits, matchingId: string | undefined): Promise<OrderRecord | { refusal: RspError }> {
  if (matchingId !== undefined && matchingId.length > 0) {
    return (await tx.getOpenOrderByMatchingId(matchingId as MatchingId)) ?? { refusal: new RspError(Codes.matchingIdRefused, undefined, { subjectIdentifier: 'matchingId' }) };
  }
  // Default SM-DP+ use case (§3.1.2): no MatchingID; the pending order for this EID that has none. Without
  // one the EID is refused (8.1.1 / 3.8, §5.6.3): there is no MatchingID to refuse.
  const candidates = (await tx.findOpenOrdersByEid(eid)).filter((order) => order.matchingId === undefined);
  return candidates[0] ?? { refusal: new RspError(Codes.eidMismatch, 'no pending order for this EID', { subjectIdentifier: 'eid' }) };
}
