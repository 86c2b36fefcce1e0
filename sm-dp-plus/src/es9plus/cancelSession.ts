// ES9+.CancelSession (SGP.22 v2.2.2 §5.6.5, §3.0.2): the eUICC's signed cancellation
// ends the session; the order is closed or stays downloadable depending on the reason (README, "What a
// cancel does to an order"). Only the session that holds the order's binding, or any session while the order
// is not bound, may change the order; after a restart the bound order answers for its lost session.
import {
  CancelSessionReason, Codes, EuiccSignatureInvalid, RspError, TransactionIdUnknown, bytesEqual, derOf, verifyRaw, type CancelSessionResponse,
  type EuiccCancelSessionSigned,
} from '@zkesim/protocol';
import { parseCertificate } from '@zkesim/pki';
import type { KeyObject } from 'node:crypto';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { DownloadSession } from '../core/downloadSession.js';
import type { OrderRecord, OrderTransaction } from '../core/repository.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import type { Es9Context, SmdpCredential } from './context.js';
import { KeepSession, withSession } from './sessionGuard.js';
import { closeOrder } from '../core/closeOrder.js';

export interface CancelSessionInput {
  transactionId: Uint8Array;
  cancelSessionResponse: CancelSessionResponse;
}

export async function cancelSession(ctx: Es9Context, input: CancelSessionInput): Promise<void> {
  const now = ctx.deps.clock.now();
  if ((await ctx.sessions.forCall(input.transactionId, 'cancelSession', now)) === undefined) {
    // No live session (the SM-DP+ restarted, or it expired): a bound order still knows the transaction and the eUICC.
    if (await cancelBoundOrder(ctx, input, now)) return;
  }
  return withSession(ctx, input.transactionId, 'cancelSession', async (session) => {
    await run(ctx, session, input);
    await ctx.sessions.close(input.transactionId);
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
  // §5.6.5: the SM-DP+ verifies euiccCancelSessionSignature with PK.EUICC.ECDSA. Before AuthenticateClient
  // it has no eUICC certificate to verify with. SPEC-AMBIGUITY: §5.6.5 makes the verification mandatory and
  // names no exception, so an unverifiable cancellation is refused (8.1 / 6.1) and changes nothing: the
  // session stays (it holds no order yet) until it is used or expires.
  if (session.euiccPublicKey === undefined) throw new KeepSession(new EuiccSignatureInvalid());
  if (!verifyRaw(session.euiccPublicKey, derOf(ok.euiccCancelSessionSigned), ok.euiccCancelSessionSignature)) throw new EuiccSignatureInvalid();
  const signed = ok.euiccCancelSessionSigned;
  if (!bytesEqual(signed.transactionId, session.transactionId)) throw new TransactionIdUnknown({ subjectIdentifier: 'euiccCancelSessionSigned' });
  const credential = ctx.credentials[session.credentialIndex] as SmdpCredential;
  if (signed.smdpOid !== credential.smdpOid) throw new RspError(Codes.smdpOidInvalid, undefined, { subjectIdentifier: 'smdpOid' });
  const orderId = session.orderId;
  if (orderId === undefined) return;
  await ctx.deps.repository.transaction(async (tx) => {
    const order = await tx.getOrder(orderId);
    if (order === undefined) return;
    await applyCancel(ctx, tx, order, { transactionId: session.transactionId, reason: signed.reason, confirmationCodeRefused: session.confirmationCodeRefused === true, now });
  });
}

/**
 * CancelSession for a transaction the session table no longer has, because the SM-DP+ restarted: the open
 * order bound in that transaction verifies it with the eUICC certificate kept at binding. Returns false when
 * no order was bound in it (the caller then answers as for any unknown transaction).
 */
async function cancelBoundOrder(ctx: Es9Context, input: CancelSessionInput, now: number): Promise<boolean> {
  const response = input.cancelSessionResponse;
  const hex = Buffer.from(input.transactionId).toString('hex').toUpperCase();
  return ctx.deps.repository.transaction(async (tx) => {
    const order = await tx.getOpenOrderByBoundTransaction(hex);
    if (order?.euiccCertificate === undefined) return false;
    // Unsigned: it cannot be told from a forgery, so it changes nothing (the order stays bound for a retry).
    if ('cancelSessionResponseError' in response) return true;
    const ok = response.cancelSessionResponseOk;
    const publicKey: KeyObject = parseCertificate(order.euiccCertificate).publicKey;
    if (!verifyRaw(publicKey, derOf(ok.euiccCancelSessionSigned), ok.euiccCancelSessionSignature)) throw new EuiccSignatureInvalid();
    checkSigned(ctx, ok.euiccCancelSessionSigned, input.transactionId);
    await applyCancel(ctx, tx, order, { transactionId: input.transactionId, reason: ok.euiccCancelSessionSigned.reason, confirmationCodeRefused: false, now });
    return true;
  });
}

function checkSigned(ctx: Es9Context, signed: EuiccCancelSessionSigned, transactionId: Uint8Array): void {
  if (!bytesEqual(signed.transactionId, transactionId)) throw new TransactionIdUnknown({ subjectIdentifier: 'euiccCancelSessionSigned' });
  // The session's credential is gone with the session, so each of this SM-DP+'s OIDs counts as its own.
  if (!ctx.credentials.some((credential) => credential.smdpOid === signed.smdpOid)) {
    throw new RspError(Codes.smdpOidInvalid, undefined, { subjectIdentifier: 'smdpOid' });
  }
}

/**
 * What a verified cancellation does to its order. SPEC-AMBIGUITY (§5.6.5 leaves the order to the SM-DP+):
 * postponed and timeout leave the order downloadable; endUserRejection and pprNotAllowed end it, except
 * right after this SM-DP+ refused a confirmation code in the session while attempts remain and the policy
 * is keepOrder (field LPAs cancel with endUserRejection after any failure). A session that does not hold
 * the order's binding (another session bound it) ends without touching the order.
 */
async function applyCancel(
  ctx: Es9Context,
  tx: OrderTransaction & OutboxTransaction,
  order: OrderRecord,
  cancel: { transactionId: Uint8Array; reason: number; confirmationCodeRefused: boolean; now: number },
): Promise<void> {
  const hex = Buffer.from(cancel.transactionId).toString('hex').toUpperCase();
  if (order.closedAt !== undefined) return;
  if (order.boundTransactionId !== undefined && order.boundTransactionId !== hex) {
    ctx.deps.logger.info({ function: 'cancelSession', transactionId: hex, iccid: order.iccid }, 'cancel from a session that does not hold the binding: order unchanged');
    return;
  }
  const reasonName = Object.entries(CancelSessionReason.named).find(([, value]) => value === cancel.reason)?.[0] ?? String(cancel.reason);
  const named = CancelSessionReason.named;
  const afterRefusedCode =
    cancel.confirmationCodeRefused &&
    ctx.policy.cancelAfterRefusedConfirmationCode === 'keepOrder' &&
    order.confirmationCodeAttempts < ctx.policy.confirmationCodeMaxAttempts;
  const keepOrder = cancel.reason === named.postponed || cancel.reason === named.timeout || afterRefusedCode;
  await applyProfileEvent(tx, order.iccid, keepOrder ? 'downloadPostponed' : 'downloadAborted', cancel.now);
  // A kept order forgets the cancelled binding: only a new download can install it.
  if (keepOrder) {
    await tx.updateOrder(order.orderId, { boundTransactionId: undefined, euiccCertificate: undefined, boundEid: undefined, boundEuiccOtpk: undefined, boundProfilePackage: undefined });
  } else {
    await closeOrder(tx, order, cancel.now, `session cancelled: ${reasonName}`);
  }
  const profile = await tx.getProfile(order.iccid);
  if (profile !== undefined) {
    await queueDownloadProgressInfo(
      tx, order, profile,
      { notificationPointId: NotificationPoint.sessionCancelled, failure: { ...Codes.functionExecutionError, message: `cancelled by the eUICC: ${reasonName}` } },
      cancel.now, hex.toLowerCase(),
    );
  }
  ctx.onDownloadOutcome?.('cancelled');
}
