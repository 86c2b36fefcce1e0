// ES11.InitiateAuthentication (SGP.22 v2.2.2 §5.8.1) and ES11.AuthenticateClient (§5.8.2): common mutual
// authentication with the eUICC (rsp-server's, the same as the SM-DP+'s, with the 8.9.x codes of the SM-DS
// and its DSauth credential), then the event records of the authenticated EID, and of no other.
import { TransactionIdUnknown, type AuthenticateServerResponse, type EUICCInfo1, type EventEntry } from '@zkesim/protocol';
import { authenticateEuicc, initiateMutualAuthentication, smdsInitiateAuthenticationCodes, type InitiateAuthenticationResult } from '@zkesim/rsp-server';
import type { Es11Context, SmdsCredential } from './context.js';

export interface Es11InitiateAuthenticationInput {
  euiccChallenge: Uint8Array;
  euiccInfo1: EUICCInfo1;
  /** The address the LPA called (the JSON field keeps the name smdpAddress, §5.8.1). */
  smdsAddress: string;
}

export function initiateAuthentication(ctx: Es11Context, input: Es11InitiateAuthenticationInput): Promise<InitiateAuthenticationResult> {
  return initiateMutualAuthentication(
    {
      address: ctx.address,
      credentials: ctx.credentials.map((credential) => ({ ciKeyId: credential.ciKeyId, auth: credential.dsAuth })),
      codes: smdsInitiateAuthenticationCodes,
      sessions: ctx.sessions,
      random: ctx.deps.random,
      now: ctx.deps.clock.now(),
    },
    { euiccChallenge: input.euiccChallenge, euiccInfo1: input.euiccInfo1, serverAddress: input.smdsAddress },
  );
}

export interface Es11AuthenticateClientInput {
  transactionId: Uint8Array;
  authenticateServerResponse: AuthenticateServerResponse;
}

export async function authenticateClient(ctx: Es11Context, input: Es11AuthenticateClientInput): Promise<{ transactionId: Uint8Array; eventEntries: EventEntry[] }> {
  const now = ctx.deps.clock.now();
  const session = ctx.sessions.forCall(input.transactionId, 'authenticateClient', now);
  if (session === undefined) {
    const expired = ctx.sessions.isExpired(input.transactionId, now);
    throw new TransactionIdUnknown({ subjectIdentifier: expired ? 'transactionId (session expired)' : 'transactionId' });
  }
  // One use of each session and serverChallenge: a replayed AuthenticateClient finds no session.
  ctx.sessions.close(input.transactionId);
  const credential = ctx.credentials[session.credentialIndex] as SmdsCredential;
  const { eid } = authenticateEuicc({
    authenticateServerResponse: input.authenticateServerResponse,
    session,
    serverAddress: ctx.address,
    serverName: 'SM-DS',
    ci: credential.ci,
    crls: ctx.crls,
    eumCertificates: ctx.eumCertificates,
    now,
  });
  // §3.6.2: the EID comes from the verified eUICC certificate, never from the request.
  const events = await ctx.deps.store.transaction((tx) => tx.listEvents(eid, now));
  ctx.deps.logger.info({ function: 'authenticateClient', eid: eid, events: events.length }, 'eUICC authenticated, events retrieved');
  return { transactionId: session.transactionId, eventEntries: events.map((event) => ({ eventId: event.eventId, rspServerAddress: event.rspServerAddress })) };
}
