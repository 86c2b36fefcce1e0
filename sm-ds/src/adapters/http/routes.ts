// The SM-DS's functions over HTTPS (SGP.22 v2.2.2 §6.5, §6.6), on two ports: ES11 for LPAs on both the ES9+
// paths deployed LPAs call on an SM-DS and the ES11 paths, and on the ASN.1 binding; ES12 for SM-DP+s and ES15
// for Alternative SM-DSs on the mutually authenticated port, each requiring a client certificate in the
// caller's role (peerServers.ts).
import {
  AuthenticateServerResponse, Codes, EUICCInfo1, RspError, encodeTlv, es11Functions, es12Functions, es15Functions, signatureDataObject, type RspFunction,
} from '@zkesim/protocol';
import { decodeField, jsonRoute, type HttpRoute, type RouteInput } from '@zkesim/rsp-server';
import type { EventPolicy, SmdsDeps } from '../../core/deps.js';
import type { Registrant } from '../../core/eventStore.js';
import { authenticateClient, initiateAuthentication } from '../../es11/authentication.js';
import type { Es11Context } from '../../es11/context.js';
import { deleteEvent, registerEvent } from '../../es12/events.js';
import { smdsAsn1Route } from './asn1Binding.js';

/** The caller in the role the interface is for; any other certificate is refused (1.1.1 / 1.2, not allowed). */
function registrantOf(input: RouteInput<Registrant>, role: Registrant['role']): Registrant {
  const client = input.client;
  if (client === undefined) throw new RspError(Codes.unknownFunctionRequester, 'no client identity');
  if (client.role !== role) {
    throw new RspError(Codes.functionRequesterNotAllowed, `${role === 'smdp' ? 'ES12 is for SM-DP+s' : 'ES15 is for SM-DSs'}: the client certificate is of another role`);
  }
  return client;
}

function withPaths(fn: RspFunction, route: HttpRoute<Registrant>): [string, HttpRoute<Registrant>][] {
  return [fn.path, ...fn.alternativePaths].map((path) => [path, route]);
}

export function smdsRoutes(es11: Es11Context, deps: SmdsDeps, policy: EventPolicy): { es11: Map<string, HttpRoute<Registrant>>; peers: Map<string, HttpRoute<Registrant>> } {
  const initiate = jsonRoute<typeof es11Functions.initiateAuthentication, Registrant>(es11Functions.initiateAuthentication, false, async (request, input) => {
    const euiccInfo1 = decodeField('euiccInfo1', request.euiccInfo1, EUICCInfo1);
    // The session counts against the caller's address (rsp-server's per-source bound of unauthenticated sessions).
    const out = await initiateAuthentication({ ...es11, sessions: es11.sessions.forSource(input.source ?? 'unknown') }, { euiccChallenge: request.euiccChallenge, euiccInfo1, smdsAddress: request.smdpAddress });
    return {
      transactionId: out.transactionId,
      serverSigned1: out.serverSigned1,
      serverSignature1: signatureDataObject(out.serverSignature1),
      euiccCiPKIdToBeUsed: encodeTlv(0x04, out.euiccCiPKIdToBeUsed),
      serverCertificate: out.serverCertificate,
    };
  });
  const authenticate = jsonRoute<typeof es11Functions.authenticateClient, Registrant>(es11Functions.authenticateClient, false, async (request) => {
    const authenticateServerResponse = decodeField('authenticateServerResponse', request.authenticateServerResponse, AuthenticateServerResponse);
    return authenticateClient(es11, { transactionId: request.transactionId, authenticateServerResponse });
  });
  const eventRoutes = (fns: typeof es12Functions | typeof es15Functions, role: Registrant['role']): [string, HttpRoute<Registrant>][] => [
    ...withPaths(
      fns.registerEvent,
      jsonRoute<typeof fns.registerEvent, Registrant>(fns.registerEvent, true, async (request, input) => {
        await registerEvent(deps, policy, registrantOf(input, role), {
          eid: request.eid,
          eventId: request.eventId,
          rspServerAddress: request.rspServerAddress,
          ...(request.forwardingIndicator === undefined ? {} : { forwardingIndicator: request.forwardingIndicator }),
        });
        return {};
      }),
    ),
    ...withPaths(
      fns.deleteEvent,
      jsonRoute<typeof fns.deleteEvent, Registrant>(fns.deleteEvent, true, async (request, input) => {
        await deleteEvent(deps, policy, registrantOf(input, role), { eid: request.eid, eventId: request.eventId });
        return {};
      }),
    ),
  ];
  return {
    es11: new Map([
      ['/gsma/rsp2/asn1', smdsAsn1Route(es11)],
      ...withPaths(es11Functions.initiateAuthentication, initiate),
      ...withPaths(es11Functions.authenticateClient, authenticate),
    ]),
    peers: new Map([...eventRoutes(es12Functions, 'smdp'), ...eventRoutes(es15Functions, 'smds')]),
  };
}
