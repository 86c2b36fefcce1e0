// ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4): the Profile Installation Result
// closes the download (installed or error) and is forwarded to the operator; the enable, disable and
// delete notifications (§3.5) are verified against their own eUICC → EUM → CI chain, move the profile's
// state and are forwarded to the operator too. The HTTP answer is 204 either way.
import {
  Codes, InvalidIdentifier, decodeSubscriberIdentityToken, NotificationEvent, bitIsSet, derOf, iccidFromBytes, verifyRaw, type OtherSignedNotification, type PendingNotification,
  type ProfileInstallationResult,
} from '@zkesim/protocol';
import { CertificateFormatError, CertificateRuleError, eidOf, parseCertificate, validateChain } from '@zkesim/pki';
import type { KeyObject } from 'node:crypto';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { IllegalTransition, type ProfileEvent } from '../core/profileLifecycle.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { ActivityTagTransaction, AnchorRecordTransaction, OrderTransaction, OrderWithProfile } from '../core/repository.js';
import { redactEid } from '../core/identifiers.js';
import { NotificationPoint, queueDownloadProgressInfo, type NotificationPointId } from '../es2plus/handleDownloadProgressInfo.js';
import type { ActivityTagger, AnchorRecorder, Es9Context, InstallResultEvent, ProfileActivityEvent } from './context.js';
import type { DownloadSession } from '../core/downloadSession.js';
import { closeOrder } from '../core/closeOrder.js';
import { closeWith } from './sessionGuard.js';

export interface HandleNotificationInput {
  pendingNotification: PendingNotification;
}

export async function handleNotification(ctx: Es9Context, input: HandleNotificationInput): Promise<void> {
  const notification = input.pendingNotification;
  if ('profileInstallationResult' in notification) {
    await installationResult(ctx, notification.profileInstallationResult);
  } else {
    await otherNotification(ctx, notification.otherSignedNotification);
  }
}

/**
 * The download a PIR belongs to: the open order whose binding was made in this transaction (a session that
 * does not hold the order's binding never changes it), with its profile, and the eUICC key to verify the result
 * with: the session's, or, after expiry or a restart, the one of the eUICC certificate kept with the binding.
 */
async function boundDownload(
  tx: OrderTransaction, transactionId: Uint8Array, session: DownloadSession | undefined,
): Promise<(OrderWithProfile & { euiccPublicKey: KeyObject }) | undefined> {
  const found = await tx.getOrderWithProfile({ openBoundTransactionId: Buffer.from(transactionId).toString('hex').toUpperCase() });
  const certificate = found?.order.euiccCertificate;
  if (found === undefined || certificate === undefined) return undefined;
  const euiccPublicKey = session?.orderId === found.order.orderId ? session.euiccPublicKey : undefined;
  // Object.assign, not a spread with a key added after it (a map of its own per call in V8: personalisationInputs).
  return Object.assign({}, found, { euiccPublicKey: euiccPublicKey ?? parseCertificate(certificate).publicKey });
}

async function installationResult(ctx: Es9Context, result: ProfileInstallationResult): Promise<void> {
  const now = ctx.deps.clock.now();
  const data = result.profileInstallationResultData;
  const transactionId = Buffer.from(data.transactionId).toString('hex');
  const success = 'successResult' in data.finalResult;
  // The session first: a shared store's is read on a connection of its own, which must not be awaited while
  // this call's transaction holds one (a pool of N connections would then stall under N concurrent results).
  const session = await ctx.sessions.forCall(data.transactionId, 'handleNotification', now);
  // One transaction: the bound order is found (and on PostgreSQL locked), the result verified and recorded.
  const outcome = await ctx.deps.repository.transaction(async (tx) => {
    const download = await boundDownload(tx, data.transactionId, session);
    // A result for no known download cannot be verified (no eUICC certificate); it is still acknowledged.
    if (download === undefined) return 'installation result for no bound download, ignored';
    if (!verifyRaw(download.euiccPublicKey, derOf(data), result.euiccSignPIR)) return 'installation result with an invalid euiccSignPIR, ignored';
    const event = await recordResult(tx, result, download, success, now, transactionId, ctx.anchorRecord, ctx.policy.lab === true, ctx.activityTags);
    return { event, afterCommit: closeWith(ctx, tx, data.transactionId) };
  });
  if (typeof outcome === 'string') {
    ctx.deps.logger.warn({ function: 'handleNotification', transactionId }, outcome);
    return;
  }
  const { event } = outcome;
  await outcome.afterCommit();
  ctx.onDownloadOutcome?.(success ? 'installed' : 'installFailed');
  ctx.onInstallResult?.(event);
  ctx.deps.logger.info(
    { function: 'handleNotification', transactionId, iccid: event.iccid, eid: event.eid === undefined ? undefined : redactEid(event.eid), success },
    'profile installation result',
  );
}

/** Installed or Error, the order closed, the operator told and the result's anchor record kept, in one transaction. */
async function recordResult(
  tx: OrderTransaction & OutboxTransaction & AnchorRecordTransaction & ActivityTagTransaction,
  result: ProfileInstallationResult,
  { order, profile }: OrderWithProfile,
  success: boolean,
  now: number,
  transactionId: string,
  anchorRecord?: AnchorRecorder,
  lab = false,
  activityTags?: ActivityTagger,
): Promise<InstallResultEvent> {
  const { orderId } = order;
  // Lab mode: a reusable order stays open and downloadable; its binding is forgotten so the next download binds anew.
  const reuse = success && lab && order.reusable === true;
  // The activity log (contracts/src/identity/activity.ts): the result is anchored under the identity's tag 0 and
  // the profile keeps tags 1.. for its later events; derived now, while the order still holds the identity,
  // which closing the order drops. A reusable lab order installs again under the same identity: no tags.
  const tags =
    anchorRecord !== undefined && activityTags !== undefined && order.subscriberIdentityToken !== undefined && !reuse
      ? activityTags(decodeSubscriberIdentityToken(order.subscriberIdentityToken).identitySecret)
      : [];
  const change = await applyProfileEvent(tx, profile, reuse ? 'installSucceededReusable' : success ? 'installSucceeded' : 'installFailed', now);
  if (reuse) await tx.updateOrder(orderId, { boundTransactionId: undefined });
  else await closeOrder(tx, order, now, success ? 'installed' : 'installation failed');
  // SECURITY.md: the operator keeps its own copy; ours goes once the profile is on the card for good.
  if (success && !reuse) await tx.eraseProfileSecrets(order.iccid);
  const finalResult = result.profileInstallationResultData.finalResult;
  const failure = 'errorResult' in finalResult ? finalResult.errorResult : undefined;
  await queueDownloadProgressInfo(
    tx, order, profile,
    {
      notificationPointId: NotificationPoint.bppInstallation,
      ...(failure === undefined
        ? {}
        : { failure: { ...Codes.functionExecutionError, message: `bppCommandId ${failure.bppCommandId}, errorReason ${failure.errorReason}` } }),
      resultData: derOf(result),
    },
    now, transactionId,
  );
  const event: InstallResultEvent = {
    orderId,
    transactionId: result.profileInstallationResultData.transactionId,
    iccid: change.iccid,
    eid: order.eid,
    profileType: profile.profileType,
    success,
    ...(failure === undefined ? {} : { errorResult: { bppCommandId: failure.bppCommandId, errorReason: failure.errorReason } }),
    at: now,
  };
  if (anchorRecord !== undefined) {
    const [firstTag, ...laterTags] = tags;
    const record = anchorRecord(firstTag === undefined ? event : { ...event, activityTag: firstTag });
    await tx.enqueueAnchorRecord({ orderId, eventId: record.eventId, payload: record.payload, at: now });
    await tx.updateOrder(orderId, { anchorEventId: record.eventId });
    // Only an installed profile has later events.
    if (success && laterTags.length > 0) await tx.putActivityTags(order.iccid, 1, laterTags);
  }
  return event;
}

/** The profile event and operator notification point of each operation a notification may report. */
const profileOperations: readonly { bit: number; event: ProfileEvent; point: NotificationPointId; operation: ProfileActivityEvent['operation'] }[] = [
  { bit: NotificationEvent.named.notificationEnable, event: 'profileEnabled', point: NotificationPoint.profileEnabled, operation: 'notificationEnable' },
  { bit: NotificationEvent.named.notificationDisable, event: 'profileDisabled', point: NotificationPoint.profileDisabled, operation: 'notificationDisable' },
  { bit: NotificationEvent.named.notificationDelete, event: 'profileDeleted', point: NotificationPoint.profileDeleted, operation: 'notificationDelete' },
];

/**
 * Enable/disable/delete notifications: verified against the eUICC and EUM certificates they carry, then
 * applied to the profile they name if that eUICC is the one its order installed it on. The LPA only needs
 * the 204; a notification that does not verify, names no profile of ours or another eUICC's, or changes
 * nothing (a repeat) is logged and dropped.
 */
async function otherNotification(ctx: Es9Context, notification: OtherSignedNotification): Promise<void> {
  const now = ctx.deps.clock.now();
  const tbs = notification.tbsOtherNotification;
  const seqNumber = tbs.seqNumber.toString();
  const drop = (reason: string, details: Record<string, unknown> = {}): void =>
    ctx.deps.logger.warn({ function: 'handleNotification', seqNumber, ...details }, `profile management notification dropped: ${reason}`);
  let eid: string | undefined;
  try {
    const euicc = parseCertificate(derOf(notification.euiccCertificate));
    // The EUM certificate from the parse cache AuthenticateClient uses: its key is imported and its signature
    // by the CI verified once per EUM certificate (pki's signature rule remembers the pair), not per notification.
    const eum = ctx.eumCertificates.parse(derOf(notification.eumCertificate));
    validateChain({ certificate: euicc, intermediates: [eum], trustedCis: ctx.credentials.map((c) => c.ci), role: 'euicc', at: new Date(now), crls: ctx.crls });
    if (!verifyRaw(euicc.publicKey, derOf(tbs), notification.euiccNotificationSignature)) return drop('invalid euiccNotificationSignature');
    eid = eidOf(euicc);
  } catch (error) {
    if (!(error instanceof CertificateRuleError || error instanceof CertificateFormatError)) throw error;
    return drop('unverifiable eUICC', { rule: error.rule, error: error.message });
  }
  const operations = profileOperations.filter((operation) => bitIsSet(tbs.profileManagementOperation, operation.bit));
  const [operation] = operations;
  // SGP.22 NotificationMetadata: profileManagementOperation has only one bit set to 1; the ICCID names the profile.
  if (operation === undefined || operations.length !== 1) return drop('not exactly one of enable, disable, delete');
  if (tbs.iccid === undefined) return drop('no ICCID');
  let iccid;
  try {
    iccid = iccidFromBytes(tbs.iccid);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return drop('malformed ICCID');
    throw error;
  }
  let anchored = false;
  const outcome = await ctx.deps.repository.transaction(async (tx) => {
    anchored = false;
    const order = await tx.getLatestOrderByIccid(iccid);
    // Only the eUICC the profile was installed on speaks for it.
    if (order === undefined || eid === undefined || order.eid !== eid) return 'not a profile this SM-DP+ installed on that eUICC';
    try {
      await applyProfileEvent(tx, iccid, operation.event, now);
    } catch (error) {
      if (error instanceof IllegalTransition) return error.message;
      throw error;
    }
    const profile = await tx.getProfile(iccid);
    if (profile !== undefined) {
      await queueDownloadProgressInfo(
        tx, order, profile, { notificationPointId: operation.point, resultData: derOf(notification) }, now, `${iccid}-${seqNumber}`,
      );
    }
    // The activity log: a profile that carried a subscriber identity anchors the event under its next tag, in
    // this transaction. Without a tag (no identity, or all used) nothing is anchored: nobody could claim it.
    const next = ctx.anchorRecord === undefined ? undefined : await tx.takeActivityTag(iccid);
    if (ctx.anchorRecord !== undefined && next !== undefined) {
      const record = ctx.anchorRecord({ operation: operation.operation, profileType: profile?.profileType ?? '', activityTag: next.tag, at: now });
      await tx.enqueueAnchorRecord({ orderId: order.orderId, eventId: record.eventId, payload: record.payload, at: now });
      anchored = true;
    }
    // A deleted profile has no later events: its unused tags go.
    if (operation.event === 'profileDeleted') await tx.eraseActivityTags(iccid);
    return undefined;
  });
  if (outcome !== undefined) return drop(outcome, { iccid });
  ctx.deps.logger.info({ function: 'handleNotification', seqNumber, iccid, event: operation.event, anchored }, 'profile management notification');
}
