// ES9+.GetBoundProfilePackage (SGP.22 v2.2.2 §5.6.2): verify euiccSignature2 over the
// received euiccSigned2 ‖ smdpSignature2 DO, check the confirmation code (with a retry limit), then make
// the one-time key pair, agree the BSP keys with otPK.EUICC.ECKA and bind the personalised profile.
import { createHash } from 'node:crypto';
import {
  BspSession, Codes, EuiccSignatureInvalid, RspError, TransactionIdUnknown, bytesEqual, derOf, eidToBytes,
  euiccSignature2Tbs, secretsEqual, verifyRaw, type EidDigits, type PrepareDownloadResponse,
} from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { DownloadSession } from '../core/downloadSession.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { OrderRecord, OrderTransaction, OrderWithProfile, ProfileRecord, ProfileSecrets, ProfileTemplate } from '../core/repository.js';
import { NotificationPoint, queueDownloadProgressInfo } from '../es2plus/handleDownloadProgressInfo.js';
import { buildBoundProfilePackage, rebindBoundProfilePackage } from '../es8plus/boundProfilePackage.js';
import { personaliseProfile } from '../inventory/personalise.js';
import type { Es9Context, SmdpCredential } from './context.js';
import { closeExpiredOrder, isExpired } from './orderExpiry.js';
import { KeepSession, advanceWith, withSession } from './sessionGuard.js';
import { closeOrder } from '../core/closeOrder.js';

export interface GetBoundProfilePackageInput {
  transactionId: Uint8Array;
  prepareDownloadResponse: PrepareDownloadResponse;
  /** The caller's address (from the HTTP adapter), for the per-source confirmation code limit. */
  source?: string;
}

export interface GetBoundProfilePackageOutput {
  transactionId: Uint8Array;
  boundProfilePackage: Uint8Array;
}

/** hostId of the CRT (§2.6.4.2) is 1..16 bytes of the SM-DP+'s choice; we use a fixed 8-byte value. */
const hostId = Uint8Array.from(Buffer.from('zkesim-1', 'ascii'));

export function getBoundProfilePackage(ctx: Es9Context, input: GetBoundProfilePackageInput): Promise<GetBoundProfilePackageOutput> {
  return withSession(ctx, input.transactionId, 'getBoundProfilePackage', (session) => run(ctx, session, input));
}

async function run(ctx: Es9Context, session: DownloadSession, input: GetBoundProfilePackageInput): Promise<GetBoundProfilePackageOutput> {
  const now = ctx.deps.clock.now();
  const response = input.prepareDownloadResponse;
  if ('downloadResponseError' in response) {
    // SPEC-AMBIGUITY: the eUICC refused PrepareDownload; the SM-DP+ fails the call and does not bind (8.1 / 6.1).
    const code = response.downloadResponseError.downloadErrorCode;
    throw new RspError(Codes.euiccVerificationFailed, `eUICC reported downloadErrorCode ${code}`);
  }
  const ok = response.downloadResponseOk;
  const { euiccPublicKey, smdpSignature2, orderId, eid } = session;
  if (euiccPublicKey === undefined || smdpSignature2 === undefined || orderId === undefined || eid === undefined) {
    throw new Error('authenticated session lacks its AuthenticateClient data');
  }
  if (!verifyRaw(euiccPublicKey, euiccSignature2Tbs(derOf(ok.euiccSigned2), smdpSignature2), ok.euiccSignature2)) {
    throw new EuiccSignatureInvalid();
  }
  const signed = ok.euiccSigned2;
  if (!bytesEqual(signed.transactionId, session.transactionId)) throw new TransactionIdUnknown({ subjectIdentifier: 'euiccSigned2' });
  const hashCc = session.ccRequired === true ? confirmationCodeToCheck(ctx, signed.hashCc, now, input.source) : undefined;
  const credential = ctx.credentials[session.credentialIndex] as SmdpCredential;
  // One transaction for the call: the order with its profile, template and sealed secrets in one read, the
  // confirmation code checked against it, then the binding.
  const bound = await ctx.deps.repository.transaction(async (tx) => {
    const found = await tx.getOrderWithProfile({ orderId }, { template: 'whole', secrets: true, boundProfilePackage: true });
    if (hashCc !== undefined) {
      const failure = await confirmationCodeFailure(ctx, tx, session, found?.order, orderId, hashCc, now);
      if (failure !== undefined) return { failure };
    }
    const result = await bind(ctx, tx, found, { session, credential, eid, euiccOtpk: signed.euiccOtpk, now });
    return 'refusal' in result ? result : { order: result.order, bpp: result.bpp, afterCommit: advanceWith(ctx, tx, session, 'bound') };
  });
  if ('failure' in bound) {
    ctx.confirmationCodeSources?.record(input.source, now);
    // After the commit, never inside the transaction: on PostgreSQL the session store takes a connection of its
    // own from the pool, which a transaction holding one must not wait for. Remembered so that a cancel which
    // follows this refusal is judged by the cancel policy (cancelSession).
    if (bound.failure instanceof KeepSession) await ctx.sessions.advance(session, 'authenticated', { confirmationCodeRefused: true });
    throw bound.failure;
  }
  if ('refusal' in bound) throw bound.refusal;
  await bound.afterCommit();
  ctx.deps.logger.info(
    { function: 'getBoundProfilePackage', transactionId: Buffer.from(session.transactionId).toString('hex'), iccid: bound.order.iccid, bytes: bound.bpp.length },
    'profile bound',
  );
  return { transactionId: session.transactionId, boundProfilePackage: bound.bpp };
}

/** A confirmation code is required: it must be sent, and its source must not have exhausted its wrong codes. Returns hashCc. */
function confirmationCodeToCheck(ctx: Es9Context, hashCc: Uint8Array | undefined, now: number, source: string | undefined): Uint8Array {
  if (hashCc === undefined) throw new RspError(Codes.confirmationCodeMissing, undefined, { subjectIdentifier: 'hashCc' });
  if (ctx.confirmationCodeSources?.exhausted(source, now) === true) {
    throw new KeepSession(new RspError(Codes.confirmationCodeRefused, 'too many wrong confirmation codes from this address', { subjectIdentifier: 'hashCc' }));
  }
  return hashCc;
}

/**
 * §5.6.2: hashCc = SHA-256(SHA-256(CC) ‖ transactionId); we store SHA-256(CC). A wrong code keeps the session
 * (the LPA may ask the user again) until the limit; then the order is closed. Returns the error to answer
 * with once the transaction committed (the count and the closing are kept), or undefined for the right code.
 */
async function confirmationCodeFailure(
  ctx: Es9Context, tx: OrderTransaction & OutboxTransaction, session: DownloadSession, order: OrderRecord | undefined, orderId: number, hashCc: Uint8Array, now: number,
): Promise<Error | undefined> {
  if (order?.confirmationCodeHash === undefined) throw new Error(`order ${orderId} lost its confirmation code`);
  const expected = createHash('sha256').update(order.confirmationCodeHash).update(session.transactionId).digest();
  if (secretsEqual(expected, hashCc)) return undefined;
  const attempts = await tx.incrementConfirmationCodeAttempts(orderId);
  if (attempts < ctx.policy.confirmationCodeMaxAttempts) {
    return new KeepSession(new RspError(Codes.confirmationCodeRefused, undefined, { subjectIdentifier: 'hashCc' }));
  }
  const exhausted = new RspError(Codes.confirmationCodeRetriesExceeded, undefined, { subjectIdentifier: 'hashCc' });
  await applyProfileEvent(tx, order.iccid, 'downloadAborted', now);
  await closeOrder(tx, order, now, exhausted.message);
  await notify(tx, order, NotificationPoint.confirmationFailure, now, session, exhausted);
  return exhausted;
}

/**
 * Binds the order to this session, in one transaction with the checks that decide who may. Only one
 * session holds an order's binding: a released profile is bound by the first session that gets here; a
 * bound one only by a retry of the same eUICC (§3.1.3), which takes the binding over. Every other session
 * gets 8.2 / 3.7, and an installed profile is never bound again.
 */
async function bind(
  ctx: Es9Context,
  tx: OrderTransaction & OutboxTransaction,
  found: OrderWithProfile | undefined,
  args: { session: DownloadSession; credential: SmdpCredential; eid: EidDigits; euiccOtpk: Uint8Array; now: number },
): Promise<{ order: OrderRecord; bpp: Uint8Array } | { refusal: RspError }> {
  if (found === undefined || found.order.closedAt !== undefined) return notAvailable('the order is closed');
  const { order, profile } = found;
  if (isExpired(order, args.now)) {
    const callId = Buffer.from(args.session.transactionId).toString('hex');
    return { refusal: await closeExpiredOrder(tx, order, args.now, { point: NotificationPoint.bppDownload, callId }) };
  }
  const retry = profile.state === 'downloaded';
  if (retry && order.boundEid !== args.eid) return notAvailable('the profile is bound to another eUICC');
  if (!retry && profile.state !== 'released') return notAvailable(`profile is ${profile.state}`);
  const signWithDpPb = dpPbSigner(args.credential);
  // §5.6.2: the eUICC answered the offered bppEuiccOtpk with that same key, so it still holds otSK.EUICC.ECKA
  // and the earlier package is valid for it; otherwise (a new key) the profile is bound again.
  const reuse = retry && order.boundProfilePackage !== undefined && order.boundEuiccOtpk !== undefined && bytesEqual(order.boundEuiccOtpk, args.euiccOtpk);
  const bpp =
    reuse && order.boundProfilePackage !== undefined
      ? rebindBoundProfilePackage(order.boundProfilePackage, { transactionId: args.session.transactionId, euiccOtpk: args.euiccOtpk, signWithDpPb })
      : newBinding(ctx, args, await personalisationInputs(found), order.subscriberIdentityToken, signWithDpPb);
  await applyProfileEvent(tx, profile, retry ? 'bindRetry' : 'bindProfile', args.now);
  await tx.updateOrder(order.orderId, {
    boundTransactionId: Buffer.from(args.session.transactionId).toString('hex').toUpperCase(),
    ...(args.session.euiccCertificate === undefined ? {} : { euiccCertificate: args.session.euiccCertificate }),
    boundEid: args.eid,
    boundEuiccOtpk: args.euiccOtpk,
    boundProfilePackage: bpp,
  });
  await notify(tx, order, NotificationPoint.bppDownload, args.now, args.session, undefined, profile);
  ctx.deps.logger.info({ function: 'getBoundProfilePackage', iccid: order.iccid, retry, reused: reuse }, retry ? 'bound order downloaded again' : 'order bound');
  return { order, bpp };
}

/** 8.2 / 3.7, the profile is not available to this session (no closure per call: tsx names each with a defineProperty). */
function notAvailable(why: string): { refusal: RspError } {
  return { refusal: new RspError(Codes.bppNotAvailable, why, { subjectIdentifier: 'iccid' }) };
}

/** Signs with SK.DPpb of the credential; the function is returned anonymous, so tsx adds no defineProperty per call. */
function dpPbSigner(credential: SmdpCredential): (data: Uint8Array) => Uint8Array {
  return (data) => credential.dpPb.signer.sign(data);
}

/**
 * What personalisation needs besides the order: the profile's template and its Ki and OPc, read with the order
 * and opened here, the one place a download opens them.
 */
async function personalisationInputs(found: OrderWithProfile): Promise<{ profile: ProfileRecord & ProfileSecrets; template: ProfileTemplate }> {
  const { profile, template, openSecrets } = found;
  if (template === undefined || !('upp' in template) || openSecrets === undefined) throw new Error(`profile ${profile.iccid} has no template or secrets`);
  // Object.assign, not `{ ...a, ...b }`: V8 gives an object made by spreading a map of its own for every key added
  // after the spread, about 0.5 µs each (Node 20); Object.assign onto `{}` follows the shared transitions.
  return { profile: Object.assign({}, profile, await openSecrets()), template };
}

/**
 * A new binding: a new one-time key pair on the curve of CERT.DPpb (§2.6.4.1), ECKA, KDF, the protected profile.
 * otSK.DP.ECKA stays in the process even when SK.DPpb is in a token: used for one agreement here, which drops
 * it (SECURITY.md, "Keys in an HSM").
 */
function newBinding(
  ctx: Es9Context,
  args: { session: DownloadSession; credential: SmdpCredential; eid: EidDigits; euiccOtpk: Uint8Array },
  { profile, template }: { profile: ProfileRecord & ProfileSecrets; template: ProfileTemplate },
  subscriberIdentityToken: Uint8Array | undefined,
  signWithDpPb: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  const oneTime = ctx.generateEcka(args.credential.dpPb.signer.curve);
  const session = BspSession.derive({ sharedSecret: oneTime.agree(args.euiccOtpk), hostId, eid: eidToBytes(args.eid) });
  return buildBoundProfilePackage({
    transactionId: args.session.transactionId,
    hostId,
    smdpOtpk: oneTime.publicPoint,
    euiccOtpk: args.euiccOtpk,
    signWithDpPb,
    session,
    storeMetadata: args.session.profileMetadata ?? new Uint8Array(),
    // The subscriber identity, when the order carries one, goes into the profile as a PE-NonStandard: inside
    // the BSP-protected '86' segments, so only the eUICC ever decrypts it (SGP.22 v2.2.2 §2.5.4, §5.5).
    upp: personaliseProfile(
      template.upp,
      Object.assign({}, profile, { serviceProviderName: template.serviceProviderName }, subscriberIdentityToken === undefined ? {} : { subscriberIdentityToken }),
    ),
    dpOid: args.credential.smdpOid,
    ...(ctx.profileProtectionKeys
      ? {
          profileProtectionKeys: {
            ppkEnc: ctx.deps.random.bytes(16),
            ppkCmac: ctx.deps.random.bytes(16),
            initialMacChainingValue: ctx.deps.random.bytes(16),
          },
        }
      : {}),
  });
}

async function notify(
  tx: OrderTransaction & OutboxTransaction, order: OrderRecord, point: (typeof NotificationPoint)[keyof typeof NotificationPoint], now: number,
  session: DownloadSession, failure?: RspError, known?: ProfileRecord,
): Promise<void> {
  // Only its ICCID and type are reported, which a state change leaves as they were: a profile read in this transaction serves.
  const profile = known ?? (await tx.getProfile(order.iccid));
  if (profile === undefined) return;
  await queueDownloadProgressInfo(
    tx, order, profile,
    { notificationPointId: point, ...(failure === undefined ? {} : { failure: { ...failure.statusCode, message: failure.message } }) },
    now, Buffer.from(session.transactionId).toString('hex'),
  );
}
