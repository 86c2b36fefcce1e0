// ES9+.CancelSession (SGP.22 v2.2.2 §5.6.5, §3.0.2): the eUICC's signed cancellation
// ends the session; the order is closed or stays downloadable depending on the reason.
import {
  CancelSessionReason, Codes, EuiccSignatureInvalid, RspError, TransactionIdUnknown, bytesEqual, derOf, verifyRaw, type CancelSessionResponse,
} from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { DownloadSession } from '../core/downloadSession.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import type { Es9Context, SmdpCredential } from './context.js';
import { withSession } from './sessionGuard.js';

export interface CancelSessionInput {
  transactionId: Uint8Array;
  cancelSessionResponse: CancelSessionResponse;
}

export function cancelSession(ctx: Es9Context, input: CancelSessionInput): Promise<void> {
  return withSession(ctx, input.transactionId, 'cancelSession', async (session) => {
    await run(ctx, session, input);
    ctx.sessions.close(input.transactionId);
  });
}

async function run(ctx: Es9Context, session: DownloadSession, input: CancelSessionInput): Promise<void> {
  const now = ctx.deps.clock.now();
  const response = input.cancelSessionResponse;
  if ('cancelSessionResponseError' in response) {
    // The eUICC had no such session; nothing is signed, so we only end ours.
    ctx.deps.logger.info({ function: 'cancelSession', code: response.cancelSessionResponseError }, 'eUICC reported a cancel error');
    return;
  }
  const ok = response.cancelSessionResponseOk;
  // Before AuthenticateClient the SM-DP+ has no eUICC key to verify with; SPEC-AMBIGUITY: we then accept
  // the cancellation unverified, since it can only end a session that holds nothing.
  if (session.euiccPublicKey !== undefined && !verifyRaw(session.euiccPublicKey, derOf(ok.euiccCancelSessionSigned), ok.euiccCancelSessionSignature)) {
    throw new EuiccSignatureInvalid();
  }
  const signed = ok.euiccCancelSessionSigned;
  if (!bytesEqual(signed.transactionId, session.transactionId)) throw new TransactionIdUnknown({ subjectIdentifier: 'euiccCancelSessionSigned' });
  const credential = ctx.credentials[session.credentialIndex] as SmdpCredential;
  if (signed.smdpOid !== credential.smdpOid) throw new RspError(Codes.smdpOidInvalid, undefined, { subjectIdentifier: 'smdpOid' });
  const orderId = session.orderId;
  if (orderId === undefined) return;
  const reasonName = Object.entries(CancelSessionReason.named).find(([, value]) => value === signed.reason)?.[0] ?? String(signed.reason);
  // SPEC-AMBIGUITY: postponed and timeout leave the order downloadable; every other reason ends it.
  const keepOrder = signed.reason === CancelSessionReason.named.postponed || signed.reason === CancelSessionReason.named.timeout;
  await ctx.deps.repository.transaction(async (tx) => {
    const order = await tx.getOrder(orderId);
    if (order === undefined || order.closedAt !== undefined) return;
    await applyProfileEvent(tx, order.iccid, keepOrder ? 'downloadPostponed' : 'downloadAborted', now);
    // A postponed order forgets the cancelled binding: only a new download can install it.
    await tx.updateOrder(
      orderId,
      keepOrder ? { boundTransactionId: undefined, euiccCertificate: undefined } : { closedAt: now, closeReason: `session cancelled: ${reasonName}` },
    );
    const profile = await tx.getProfile(order.iccid);
    if (profile !== undefined) {
      await queueDownloadProgressInfo(
        tx, order, profile,
        { notificationPointId: NotificationPoint.sessionCancelled, failure: { ...Codes.functionExecutionError, message: `cancelled by the eUICC: ${reasonName}` } },
        now, Buffer.from(session.transactionId).toString('hex'),
      );
    }
  });
  ctx.onDownloadOutcome?.('cancelled');
}
