// ES9+ JSON binding (SGP.22 v2.2.2 §6.5.2) on top of protocol's function declarations:
// the ASN.1 inside the base64 fields is decoded here (malformed → 1.6 / 2.1 naming the field), and the
// outputs take their wire shapes: signatures as the complete `5F37 40` DO, euiccCiPKIdToBeUsed as the
// `04 14` TLV, HandleNotification as 204.
import {
  AuthenticateServerResponse, CancelSessionResponse, EUICCInfo1, PendingNotification, PrepareDownloadResponse, encodeTlv, es9plusFunctions,
  signatureDataObject,
} from '@zkesim/protocol';
import { authenticateClient } from '../../es9plus/authenticateClient.js';
import { cancelSession } from '../../es9plus/cancelSession.js';
import type { Es9Context } from '../../es9plus/context.js';
import { getBoundProfilePackage } from '../../es9plus/getBoundProfilePackage.js';
import { handleNotification } from '../../es9plus/handleNotification.js';
import { initiateAuthentication } from '../../es9plus/initiateAuthentication.js';
import { decodeField, jsonRoute } from '@zkesim/rsp-server';
import type { HttpRoute } from '@zkesim/rsp-server';

export function es9plusRoutes(ctx: Es9Context): Map<string, HttpRoute> {
  const fns = es9plusFunctions;
  const routes: HttpRoute[] = [
    jsonRoute(fns.initiateAuthentication, false, async (request, input) => {
      const euiccInfo1 = decodeField('euiccInfo1', request.euiccInfo1, EUICCInfo1);
      // The session opens under the client's address, which limits what an unauthenticated client holds.
      const out = await initiateAuthentication({ ...ctx, sessions: ctx.sessions.forSource(input.source ?? 'unknown') }, { euiccChallenge: request.euiccChallenge, euiccInfo1, smdpAddress: request.smdpAddress });
      return {
        transactionId: out.transactionId,
        serverSigned1: out.serverSigned1,
        serverSignature1: signatureDataObject(out.serverSignature1),
        euiccCiPKIdToBeUsed: encodeTlv(0x04, out.euiccCiPKIdToBeUsed),
        serverCertificate: out.serverCertificate,
      };
    }),
    jsonRoute(fns.authenticateClient, false, async (request) => {
      const authenticateServerResponse = decodeField('authenticateServerResponse', request.authenticateServerResponse, AuthenticateServerResponse);
      const out = await authenticateClient(ctx, { transactionId: request.transactionId, authenticateServerResponse });
      return { ...out, smdpSignature2: signatureDataObject(out.smdpSignature2) };
    }),
    jsonRoute(fns.getBoundProfilePackage, false, async (request, input) => {
      const prepareDownloadResponse = decodeField('prepareDownloadResponse', request.prepareDownloadResponse, PrepareDownloadResponse);
      return getBoundProfilePackage(ctx, { transactionId: request.transactionId, prepareDownloadResponse, ...(input.source === undefined ? {} : { source: input.source }) });
    }),
    jsonRoute(fns.handleNotification, false, async (request) => {
      await handleNotification(ctx, { pendingNotification: decodeField('pendingNotification', request.pendingNotification, PendingNotification) });
      return {};
    }),
    jsonRoute(fns.cancelSession, false, async (request) => {
      const cancelSessionResponse = decodeField('cancelSessionResponse', request.cancelSessionResponse, CancelSessionResponse);
      await cancelSession(ctx, { transactionId: request.transactionId, cancelSessionResponse });
      return {};
    }),
  ];
  const fnsByName = Object.values(fns);
  return new Map(routes.map((route) => [fnsByName.find((fn) => fn.name === route.function)?.path ?? '', route]));
}
