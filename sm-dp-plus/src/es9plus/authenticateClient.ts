// ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3): the SM-DP+ authenticates the eUICC
// (chain, euiccSignature1 over the received bytes, its own serverChallenge), finds the download order,
// checks the device, and answers with the profile metadata and smdpSigned2 signed with CERT.DPpb.
import {
  SmdpSigned2, smdpSignature2Tbs, type AuthenticateServerResponse, type IccidDigits, type RspError,
} from '@zkesim/protocol';
import { redactEid } from '../core/identifiers.js';
import type { DownloadSession } from '../core/downloadSession.js';
import type { Es9Context, SmdpCredential } from './context.js';
import { authenticateEuicc } from '@zkesim/rsp-server';
import { orderForDownload } from './orderForDownload.js';
import { advanceWith, withSession, type AfterCommit } from './sessionGuard.js';
import { profileMetadataFor } from '../inventory/profileMetadata.js';

export interface AuthenticateClientInput {
  transactionId: Uint8Array;
  authenticateServerResponse: AuthenticateServerResponse;
}

export interface AuthenticateClientOutput {
  transactionId: Uint8Array;
  profileMetadata: Uint8Array;
  smdpSigned2: Uint8Array;
  smdpSignature2: Uint8Array;
  smdpCertificate: Uint8Array;
}

export function authenticateClient(ctx: Es9Context, input: AuthenticateClientInput): Promise<AuthenticateClientOutput> {
  // One use of each serverChallenge: a failure from here on ends the session (withSession).
  return withSession(ctx, input.transactionId, 'authenticateClient', (session) => run(ctx, session, input));
}

/** What the call's transaction decided: a refusal, a metadata failure (after the commit), or the answer. */
type Found =
  | { refusal: RspError }
  | { metadataError: unknown }
  | { iccid: IccidDigits; retry: boolean; profileMetadata: Uint8Array; smdpSigned2: Uint8Array; smdpSignature2: Uint8Array; afterCommit: AfterCommit };

async function run(ctx: Es9Context, session: DownloadSession, input: AuthenticateClientInput): Promise<AuthenticateClientOutput> {
  const now = ctx.deps.clock.now();
  const credential = ctx.credentials[session.credentialIndex] as SmdpCredential;
  // The eUICC's authentication (chain, euiccSignature1, this session's echo) is rsp-server's (shared with the SM-DS).
  const authenticated = authenticateEuicc({
    authenticateServerResponse: input.authenticateServerResponse,
    session,
    serverAddress: ctx.policy.smdpAddress,
    serverName: 'SM-DP+',
    ci: credential.ci,
    crls: ctx.crls,
    eumCertificates: ctx.eumCertificates,
    now,
  });
  const { euicc, eid } = authenticated;
  const ok = authenticated;
  const common = ok.euiccSigned1.ctxParams1.ctxParamsForCommonAuthentication;
  // The order and the template of its profile's metadata in one transaction, and on a shared session store
  // the session's change with its COMMIT. A missing template still fails after the order's changes are
  // committed, as when the template was read in a transaction of its own.
  const found = await ctx.deps.repository.transaction(async (tx): Promise<Found> => {
    const resolution = await orderForDownload(tx, ctx.policy, {
      eid,
      matchingId: common.matchingId,
      device: { tac: common.deviceInfo.tac, ...(common.deviceInfo.imei === undefined ? {} : { imei: common.deviceInfo.imei }) },
      now,
      callId: Buffer.from(session.transactionId).toString('hex'),
      forbiddenProfilePolicyRules: ok.euiccSigned1.euiccInfo2.forbiddenProfilePolicyRules,
    });
    if ('refusal' in resolution) return { refusal: resolution.refusal };
    const notifications = { events: ctx.profileNotifications, address: ctx.policy.smdpAddress };
    let profileMetadata: Uint8Array;
    try {
      profileMetadata = await profileMetadataFor(tx, resolution.profile, resolution.order, notifications, resolution.template);
    } catch (error) {
      return { metadataError: error };
    }
    const { order, retry } = resolution;
    const ccRequired = order.confirmationCodeHash !== undefined;
    // §3.1.3 retry: offer the earlier binding's otPK.EUICC.ECKA; an eUICC that still holds its otSK answers
    // with the same key and gets the same package, any other answer gets a new binding (GetBoundProfilePackage).
    const bppEuiccOtpk = retry && order.boundProfilePackage !== undefined ? order.boundEuiccOtpk : undefined;
    const smdpSigned2 = SmdpSigned2.encode({
      transactionId: session.transactionId,
      ccRequiredFlag: ccRequired,
      ...(bppEuiccOtpk === undefined ? {} : { bppEuiccOtpk }),
    });
    const smdpSignature2 = credential.dpPb.signer.sign(smdpSignature2Tbs(smdpSigned2, ok.euiccSignature1));
    const afterCommit = advanceWith(ctx, tx, session, 'authenticated', {
      eid,
      euiccPublicKey: euicc.publicKey,
      euiccCertificate: euicc.der,
      euiccSignature1: ok.euiccSignature1,
      smdpSignature2,
      orderId: order.orderId,
      ccRequired,
      profileMetadata,
      ...(bppEuiccOtpk === undefined ? {} : { bppEuiccOtpk }),
    });
    return { iccid: resolution.profile.iccid, retry, profileMetadata, smdpSigned2, smdpSignature2, afterCommit };
  });
  if ('refusal' in found) {
    ctx.onDownloadOutcome?.('refused');
    throw found.refusal;
  }
  if ('metadataError' in found) throw found.metadataError;
  const { iccid, retry, profileMetadata, smdpSigned2, smdpSignature2 } = found;
  await found.afterCommit();
  ctx.deps.logger.info(
    { function: 'authenticateClient', transactionId: Buffer.from(session.transactionId).toString('hex'), eid: redactEid(eid), iccid, retry },
    retry ? 'eUICC authenticated, retry of a bound order' : 'eUICC authenticated, order found',
  );
  return { transactionId: session.transactionId, profileMetadata, smdpSigned2, smdpSignature2, smdpCertificate: credential.dpPb.certificate.der };
}
