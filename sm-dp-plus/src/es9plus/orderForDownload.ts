// ES9+.AuthenticateClient, the order part (SGP.22 v2.2.2 §5.6.3):
// find the download order by MatchingID (AC_Token / EventID) or, without one, by EID (default SM-DP+),
// and refuse it with the spec's code when it is not downloadable for this eUICC and device.
import { Codes, RspError, type BitString, type EidDigits } from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { deviceIneligibility, policyRulesIneligibility, type ReceivedDeviceInfo } from '../core/deviceEligibility.js';
import type { MatchingId } from '../core/identifiers.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { OrderRecord, OrderTransaction, OrderWithProfile, ProfileRecord, ProfileTemplateNames } from '../core/repository.js';
import type { OrderPolicy } from '../core/deps.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import { closeExpiredOrder, isExpired } from './orderExpiry.js';
import { downloadMetadata } from '../inventory/profileMetadata.js';
import { closeOrder } from '../core/closeOrder.js';

/**
 * `retry`: the order is already bound to this eUICC and not installed (§3.1.3 download retry). `template`: the
 * names of the profile's template when they were read with the order.
 */
export type OrderResolution = { order: OrderRecord; profile: ProfileRecord; template?: ProfileTemplateNames; retry: boolean } | { refusal: RspError };

/**
 * Returns the order and profile to download, or a refusal. Refusals that must outlive the request (an
 * expired order is closed, the operator is told) are written here; the caller commits and then throws.
 */
export async function orderForDownload(
  tx: OrderTransaction & OutboxTransaction,
  policy: OrderPolicy,
  request: {
    eid: EidDigits;
    matchingId: string | undefined;
    device: ReceivedDeviceInfo;
    now: number;
    callId: string;
    /** euiccInfo2.forbiddenProfilePolicyRules of the eUICC (§2.9). */
    forbiddenProfilePolicyRules?: BitString | undefined;
  },
): Promise<OrderResolution> {
  const found = await findOrder(tx, request.eid, request.matchingId);
  if ('refusal' in found) return found;
  const { order, profile, template } = found;
  if (order.eid !== undefined && order.eid !== request.eid) return { refusal: new RspError(Codes.eidMismatch, undefined, { subjectIdentifier: 'eid' }) };
  if (profile.state === 'confirmed') return { refusal: new RspError(Codes.profileNotReleased, undefined, { subjectIdentifier: 'iccid' }) };
  const bound = profile.state === 'downloaded';
  if (!bound && profile.state !== 'released') {
    // Installed or failed: never handed out again (8.2 / 3.7).
    return { refusal: new RspError(Codes.bppNotAvailable, `profile is ${profile.state}`, { subjectIdentifier: 'iccid' }) };
  }
  // The order's expiry applies bound or not, so a binding that is never installed does not stay Downloaded.
  if (isExpired(order, request.now)) {
    return { refusal: await closeExpiredOrder(tx, order, request.now, { point: NotificationPoint.eligibilityCheck, callId: request.callId }) };
  }
  // SGP.22 v2.2.2 §3.1.3: a bound but not installed package may be downloaded again (a retry), by the eUICC
  // it was bound for only; for any other eUICC the profile is not available (8.2 / 3.7).
  if (bound && (order.boundEid === undefined || order.boundEid !== request.eid)) {
    return { refusal: new RspError(Codes.bppNotAvailable, 'the profile is bound to another eUICC', { subjectIdentifier: 'iccid' }) };
  }
  // Counted in one write, and decided on the count it returns: concurrent attempts cannot both pass the limit.
  // A reusable order (lab mode) is downloaded any number of times: it has no download limit.
  const limited = !(policy.lab === true && order.reusable === true);
  if (limited && (await tx.incrementDownloadAttempts(order.orderId)) > policy.downloadMaxAttempts) {
    return refuse(tx, found, request, new RspError(Codes.downloadOrderRetriesExceeded, undefined, { subjectIdentifier: 'matchingId' }), true);
  }
  const ineligible = await deviceIneligibility(tx, request.device, order.deviceConstraints);
  if (ineligible !== undefined) return refuse(tx, found, request, new RspError(Codes.noEligibleProfile, ineligible, { subjectIdentifier: 'deviceInfo' }), false);
  const forbiddenRules = policyRulesIneligibility(downloadMetadata(profile, order)?.profilePolicyRules, request.forbiddenProfilePolicyRules);
  if (forbiddenRules !== undefined) return refuse(tx, found, request, new RspError(Codes.noEligibleProfile, forbiddenRules, { subjectIdentifier: 'euiccInfo2' }), false);
  return { order, profile, ...(template === undefined ? {} : { template }), retry: bound };
}

/**
 * A refusal the operator is told of (HandleDownloadProgressInfo at the eligibility check); `close` also aborts the
 * download and closes the order. A function of the module, not a closure per call (tsx names each closure with a
 * defineProperty).
 */
async function refuse(
  tx: OrderTransaction & OutboxTransaction, { order, profile }: OrderWithProfile, request: { now: number; callId: string }, refusal: RspError, close: boolean,
): Promise<OrderResolution> {
  if (close) {
    await applyProfileEvent(tx, profile, 'downloadAborted', request.now);
    await closeOrder(tx, order, request.now, refusal.message);
  }
  await queueDownloadProgressInfo(
    tx, order, profile,
    { notificationPointId: NotificationPoint.eligibilityCheck, failure: { ...refusal.statusCode, message: refusal.message } },
    request.now, request.callId,
  );
  return { refusal };
}

/** The order with its profile (one read when a MatchingID names it), or the refusal. */
async function findOrder(tx: OrderTransaction, eid: EidDigits, matchingId: string | undefined): Promise<OrderWithProfile | { refusal: RspError }> {
  if (matchingId !== undefined && matchingId.length > 0) {
    return (
      (await tx.getOrderWithProfile({ openMatchingId: matchingId as MatchingId }, { template: 'names', boundProfilePackage: true })) ?? { refusal: new RspError(Codes.matchingIdRefused, undefined, { subjectIdentifier: 'matchingId' }) }
    );
  }
  // Default SM-DP+ use case (§3.1.2): no MatchingID; the pending order for this EID that has none. Without
  // one the EID is refused (8.1.1 / 3.8, §5.6.3): there is no MatchingID to refuse.
  const [candidate] = await tx.findOpenOrdersByEidWithoutMatchingId(eid);
  if (candidate === undefined) return { refusal: new RspError(Codes.eidMismatch, 'no pending order for this EID', { subjectIdentifier: 'eid' }) };
  const profile = await tx.getProfile(candidate.iccid);
  if (profile === undefined) throw new Error(`order ${candidate.orderId} points at a missing profile`);
  return { order: candidate, profile };
}
