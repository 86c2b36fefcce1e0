// ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4; RSP-FACTS §2.10, §8): the Profile Installation Result
// closes the download (installed or error) and is forwarded to the operator; other notifications are
// verified against their own eUICC → EUM → CI chain and logged. The HTTP answer is 204 either way.
import { Codes, derOf, verifyRaw, type OtherSignedNotification, type PendingNotification, type ProfileInstallationResult } from '@zkesim/protocol';
import { CertificateFormatError, CertificateRuleError, parseCertificate, validateChain } from '@zkesim/pki';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { redactEid } from '../core/identifiers.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import type { Es9Context, InstallResultEvent } from './context.js';

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

async function installationResult(ctx: Es9Context, result: ProfileInstallationResult): Promise<void> {
  const now = ctx.deps.clock.now();
  const data = result.profileInstallationResultData;
  const session = ctx.sessions.forCall(data.transactionId, 'handleNotification', now);
  const transactionId = Buffer.from(data.transactionId).toString('hex');
  // RSP-FACTS §8: without the session the signature cannot be checked; the notification is still acknowledged.
  if (session?.euiccPublicKey === undefined || session.orderId === undefined) {
    ctx.deps.logger.warn({ function: 'handleNotification', transactionId }, 'installation result for no open session, ignored');
    return;
  }
  if (!verifyRaw(session.euiccPublicKey, derOf(data), result.euiccSignPIR)) {
    ctx.deps.logger.warn({ function: 'handleNotification', transactionId }, 'installation result with an invalid euiccSignPIR, ignored');
    return;
  }
  const success = 'successResult' in data.finalResult;
  const orderId = session.orderId;
  const event = await ctx.deps.repository.transaction(async (tx): Promise<InstallResultEvent | undefined> => {
    const order = await tx.getOrder(orderId);
    if (order === undefined || order.closedAt !== undefined) return undefined;
    const change = await applyProfileEvent(tx, order.iccid, success ? 'installSucceeded' : 'installFailed', now);
    await tx.updateOrder(orderId, { closedAt: now, closeReason: success ? 'installed' : 'installation failed' });
    const profile = await tx.getProfile(order.iccid);
    if (profile !== undefined) {
      const failure = 'errorResult' in data.finalResult ? data.finalResult.errorResult : undefined;
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
    return { iccid: change.iccid, eid: order.eid, profileType: profile?.profileType ?? '', success, at: now };
  });
  ctx.sessions.close(data.transactionId);
  ctx.onDownloadOutcome?.(success ? 'installed' : 'installFailed');
  if (event !== undefined) ctx.onInstallResult?.(event);
  ctx.deps.logger.info(
    { function: 'handleNotification', transactionId, iccid: event?.iccid, eid: session.eid === undefined ? undefined : redactEid(session.eid), success },
    'profile installation result',
  );
}

/**
 * Enable/disable/delete notifications (RSP-FACTS §8): verified against the eUICC and EUM certificates they
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
