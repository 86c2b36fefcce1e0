// ES9+.InitiateAuthentication (SGP.22 v2.2.2 §5.6.1): the SM-DP+ checks the address
// and the eUICC's version and CI keys, opens a session and signs serverSigned1 with CERT.DPauth.
import type { EUICCInfo1 } from '@zkesim/protocol';
import { initiateMutualAuthentication, smdpInitiateAuthenticationCodes } from '@zkesim/rsp-server';
import type { Es9Context, SmdpCredential } from './context.js';

export interface InitiateAuthenticationInput {
  euiccChallenge: Uint8Array;
  euiccInfo1: EUICCInfo1;
  smdpAddress: string;
}

export interface InitiateAuthenticationOutput {
  transactionId: Uint8Array;
  serverSigned1: Uint8Array;
  /** Raw r‖s; the binding wraps it in the `5F37 40` DO. */
  serverSignature1: Uint8Array;
  /** The CI's SubjectKeyIdentifier (20 bytes); JSON carries it as the `04 14` TLV. */
  euiccCiPKIdToBeUsed: Uint8Array;
  serverCertificate: Uint8Array;
}

export async function initiateAuthentication(ctx: Es9Context, input: InitiateAuthenticationInput): Promise<InitiateAuthenticationOutput> {
  const { clock, random } = ctx.deps;
  // The checks, the choice of credential by CI, the session and serverSigned1 are rsp-server's (shared with the SM-DS).
  const out = await initiateMutualAuthentication(
    {
      address: ctx.policy.smdpAddress,
      credentials: ctx.credentials.map((credential: SmdpCredential) => ({ ciKeyId: credential.ciKeyId, auth: credential.dpAuth })),
      codes: smdpInitiateAuthenticationCodes,
      sessions: ctx.sessions,
      random,
      now: clock.now(),
    },
    { euiccChallenge: input.euiccChallenge, euiccInfo1: input.euiccInfo1, serverAddress: input.smdpAddress },
  );
  return {
    transactionId: out.transactionId,
    serverSigned1: out.serverSigned1,
    serverSignature1: out.serverSignature1,
    euiccCiPKIdToBeUsed: out.euiccCiPKIdToBeUsed,
    serverCertificate: out.serverCertificate,
  };
}
