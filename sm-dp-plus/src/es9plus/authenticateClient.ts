// ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3): the SM-DP+ authenticates the eUICC
// (chain, euiccSignature1 over the received bytes, its own serverChallenge), finds the download order,
// checks the device, and answers with the profile metadata and smdpSigned2 signed with CERT.DPpb.
import {
  SmdpSigned2, smdpSignature2Tbs, type AuthenticateServerResponse,
} from '@zkesim/protocol';
import { redactEid } from '../core/identifiers.js';
import type { DownloadSession } from '../core/downloadSession.js';
import type { Es9Context, SmdpCredential } from './context.js';
import { authenticateEuicc } from '@zkesim/rsp-server';
import { orderForDownload } from './orderForDownload.js';
import { withSession } from './sessionGuard.js';
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
  // The order and the template of its profile's metadata in one transaction. A missing template still fails
  // after the order's changes are committed, as when the template was read in a transaction of its own.
  const found = await ctx.deps.repository.transaction(async (tx) => {
    const resolution = await orderForDownload(tx, ctx.policy, {
      eid,
      matchingId: common.matchingId,
      device: { tac: common.deviceInfo.tac, ...(common.deviceInfo.imei === undefined ? {} : { imei: common.deviceInfo.imei }) },
      now,
      callId: Buffer.from(session.transactionId).toString('hex'),
      forbiddenProfilePolicyRules: ok.euiccSigned1.euiccInfo2.forbiddenProfilePolicyRules,
    });
    if ('refusal' in resolution) return { resolution };
    const notifications = { events: ctx.profileNotifications, address: ctx.policy.smdpAddress };
    try {
      return { resolution, profileMetadata: await profileMetadataFor(tx, resolution.profile, resolution.order, notifications, resolution.template) };
    } catch (error) {
      return { resolution, metadataError: error };
    }
  });
  const { resolution } = found;
  if ('refusal' in resolution) {
    ctx.onDownloadOutcome?.('refused');
    throw resolution.refusal;
  }
  if ('metadataError' in found) throw found.metadataError;
  const { order, profile, retry } = resolution;
  const profileMetadata = found.profileMetadata as Uint8Array;
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
  await ctx.sessions.advance(session, 'authenticated', {
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
  ctx.deps.logger.info(
    { function: 'authenticateClient', transactionId: Buffer.from(session.transactionId).toString('hex'), eid: redactEid(eid), iccid: profile.iccid, retry },
    retry ? 'eUICC authenticated, retry of a bound order' : 'eUICC authenticated, order found',
  );
  return { transactionId: session.transactionId, profileMetadata, smdpSigned2, smdpSignature2, smdpCertificate: credential.dpPb.certificate.der };
}
