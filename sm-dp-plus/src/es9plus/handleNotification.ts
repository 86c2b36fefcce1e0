// ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4): the Profile Installation Result
// closes the download (installed or error) and is forwarded to the operator; other notifications are
// verified against their own eUICC → EUM → CI chain and logged. The HTTP answer is 204 either way.
import { Codes, derOf, verifyRaw, type OtherSignedNotification, type PendingNotification, type ProfileInstallationResult } from '@zkesim/protocol';
import { CertificateFormatError, CertificateRuleError, parseCertificate, validateChain } from '@zkesim/pki';
import type { KeyObject } from 'node:crypto';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { AnchorRecordTransaction, OrderTransaction } from '../core/repository.js';
import { redactEid } from '../core/identifiers.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import { queueDeleteEvent } from '../es12/smdsEvents.js';
import type { AnchorRecorder, Es9Context, InstallResultEvent } from './context.js';

export interface HandleNotificationInput {
  pendingNotification: PendingNotification;
}

export async function handleNotification(ctx: Es9Context, input: HandleNotificationInput): Promise<void> {
  const notification = input.pendingNotification;
  if ('profileInstallationResult' in notification) {
    await installationResult(ctx, notification.profileInstallationResult);
  } else {
    otherNotification(ctx, notification.otherSignedNotification);
  }
}

/** The download a PIR belongs to: the open session, or (after expiry or a restart) the bound order. */
async function boundDownload(ctx: Es9Context, transactionId: Uint8Array, now: number): Promise<{ orderId: number; euiccPublicKey: KeyObject } | undefined> {
  const session = ctx.sessions.forCall(transactionId, 'handleNotification', now);
  if (session?.euiccPublicKey !== undefined && session.orderId !== undefined) return { orderId: session.orderId, euiccPublicKey: session.euiccPublicKey };
  const hex = Buffer.from(transactionId).toString('hex').toUpperCase();
  const order = await ctx.deps.repository.transaction((tx) => tx.getOpenOrderByBoundTransaction(hex));
  if (order?.euiccCertificate === undefined) return undefined;
  return { orderId: order.orderId, euiccPublicKey: parseCertificate(order.euiccCertificate).publicKey };
}

async function installationResult(ctx: Es9Context, result: ProfileInstallationResult): Promise<void> {
  const now = ctx.deps.clock.now();
  const data = result.profileInstallationResultData;
  const transactionId = Buffer.from(data.transactionId).toString('hex');
  const download = await boundDownload(ctx, data.transactionId, now);
  // A result for no known download cannot be verified (no eUICC certificate); it is still acknowledged.
  if (download === undefined) {
    ctx.deps.logger.warn({ function: 'handleNotification', transactionId }, 'installation result for no bound download, ignored');
    return;
  }
  if (!verifyRaw(download.euiccPublicKey, derOf(data), result.euiccSignPIR)) {
    ctx.deps.logger.warn({ function: 'handleNotification', transactionId }, 'installation result with an invalid euiccSignPIR, ignored');
    return;
  }
  const success = 'successResult' in data.finalResult;
  const event = await ctx.deps.repository.transaction((tx) => recordResult(tx, result, download.orderId, success, now, transactionId, ctx.anchorRecord));
  ctx.sessions.close(data.transactionId);
  ctx.onDownloadOutcome?.(success ? 'installed' : 'installFailed');
  if (event !== undefined) ctx.onInstallResult?.(event);
  ctx.deps.logger.info(
    { function: 'handleNotification', transactionId, iccid: event?.iccid, eid: event?.eid === undefined ? undefined : redactEid(event.eid), success },
    'profile installation result',
  );
}

/** Installed or Error, the order closed, the operator told and the result's anchor record kept, in one transaction. */
async function recordResult(
  tx: OrderTransaction & OutboxTransaction & AnchorRecordTransaction,
  result: ProfileInstallationResult,
  orderId: number,
  success: boolean,
  now: number,
  transactionId: string,
  anchorRecord?: AnchorRecorder,
): Promise<InstallResultEvent | undefined> {
  const order = await tx.getOrder(orderId);
  if (order === undefined || order.closedAt !== undefined) return undefined;
  const change = await applyProfileEvent(tx, order.iccid, success ? 'installSucceeded' : 'installFailed', now);
  await tx.updateOrder(orderId, { closedAt: now, closeReason: success ? 'installed' : 'installation failed' });
  if (success) await queueDeleteEvent(tx, order, now);
  if (success) await tx.eraseProfileSecrets(order.iccid);
  const profile = await tx.getProfile(order.iccid);
  const finalResult = result.profileInstallationResultData.finalResult;
  const failure = 'errorResult' in finalResult ? finalResult.errorResult : undefined;
  if (profile !== undefined) {
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
  }
  const event: InstallResultEvent = {
    orderId,
    transactionId: result.profileInstallationResultData.transactionId,
    iccid: change.iccid,
    eid: order.eid,
    profileType: profile?.profileType ?? '',
    success,
    ...(failure === undefined ? {} : { errorResult: { bppCommandId: failure.bppCommandId, errorReason: failure.errorReason } }),
    at: now,
  };
  if (anchorRecord !== undefined) {
    const record = anchorRecord(event);
    await tx.enqueueAnchorRecord({ orderId, eventId: record.eventId, payload: record.payload, at: now });
    await tx.updateOrder(orderId, { anchorEventId: record.eventId });
  }
  return event;
}

/**
 * Enable/disable/delete notifications: verified against the eUICC and EUM certificates they
 * carry. The LPA only needs the 204; a notification that does not verify is logged and dropped.
 */
function otherNotification(ctx: Es9Context, notification: OtherSignedNotification): void {
  const now = ctx.deps.clock.now();
  const seqNumber = notification.tbsOtherNotification.seqNumber.toString();
  try {
    const euicc = parseCertificate(derOf(notification.euiccCertificate));
    const eum = parseCertificate(derOf(notification.eumCertificate));
    validateChain({ certificate: euicc, intermediates: [eum], trustedCis: ctx.credentials.map((c) => c.ci), role: 'euicc', at: new Date(now), crls: ctx.crls });
    const valid = verifyRaw(euicc.publicKey, derOf(notification.tbsOtherNotification), notification.euiccNotificationSignature);
    ctx.deps.logger.info({ function: 'handleNotification', seqNumber, signatureValid: valid }, 'profile management notification');
  } catch (error) {
    if (!(error instanceof CertificateRuleError || error instanceof CertificateFormatError)) throw error;
    ctx.deps.logger.warn({ function: 'handleNotification', seqNumber, rule: error.rule, error: error.message }, 'notification from an unverifiable eUICC, dropped');
  }
}
