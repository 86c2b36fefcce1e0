// ES9+ JSON binding (SGP.22 v2.2.2 §6.5.2; RSP-FACTS §4.3): base64 ↔ bytes, ASN.1 decoding of the
// binary fields (malformed input → 1.6 / 2.1 naming the field), and the response shapes: transactionId
// as hex, signatures as the complete `5F37 40` DO, euiccCiPKIdToBeUsed as the `04 14` TLV, and 204 for
// HandleNotification.
import {
  AuthenticateServerResponse, CancelSessionResponse, EUICCInfo1, InvalidField, PendingNotification, PrepareDownloadResponse,
  encodeTlv, signatureDataObject, type Codec,
} from '@zkesim/protocol';
import { authenticateClient } from '../../es9plus/authenticateClient.js';
import { cancelSession } from '../../es9plus/cancelSession.js';
import type { Es9Context } from '../../es9plus/context.js';
import { getBoundProfilePackage } from '../../es9plus/getBoundProfilePackage.js';
import { handleNotification } from '../../es9plus/handleNotification.js';
import { initiateAuthentication } from '../../es9plus/initiateAuthentication.js';
import { base64Field, parseJsonObject, requiredString, successBody, toBase64, type JsonObject } from './jsonBinding.js';
import type { HttpRoute, RouteResult } from './requestListener.js';

/** Decodes a base64 ASN.1 field; any decoding problem is reported against the field. */
export function asn1Field<T>(object: JsonObject, field: string, codec: Codec<T>): T {
  const bytes = base64Field(object, field);
  try {
    return codec.decode(bytes, { maxLength: 1 << 20, maxDepth: 48 });
  } catch (error) {
    throw new InvalidField(field, `not a valid ${field}: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
  }
}

/** transactionId in JSON: the hex string of 1..16 bytes, any case (RSP-FACTS §4.1). */
export function transactionIdField(object: JsonObject): Uint8Array {
  const text = requiredString(object, 'transactionId');
  if (!/^([0-9A-Fa-f]{2}){1,16}$/.test(text)) throw new InvalidField('transactionId', 'must be 1 to 16 bytes in hex');
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export function es9plusRoutes(ctx: Es9Context): Map<string, HttpRoute> {
  const json = (output: JsonObject): RouteResult => ({ status: 200, body: successBody(output) });
  const handlers: Record<string, (request: JsonObject) => Promise<RouteResult>> = {
    initiateAuthentication: async (request) => {
      const euiccChallenge = base64Field(request, 'euiccChallenge');
      const euiccInfo1 = asn1Field(request, 'euiccInfo1', EUICCInfo1);
      const out = initiateAuthentication(ctx, { euiccChallenge, euiccInfo1, smdpAddress: requiredString(request, 'smdpAddress') });
      return json({
        transactionId: hex(out.transactionId),
        serverSigned1: toBase64(out.serverSigned1),
        serverSignature1: toBase64(signatureDataObject(out.serverSignature1)),
        euiccCiPKIdToBeUsed: toBase64(encodeTlv(0x04, out.euiccCiPKIdToBeUsed)),
        serverCertificate: toBase64(out.serverCertificate),
      });
    },
    authenticateClient: async (request) => {
      const transactionId = transactionIdField(request);
      const authenticateServerResponse = asn1Field(request, 'authenticateServerResponse', AuthenticateServerResponse);
      const out = await authenticateClient(ctx, { transactionId, authenticateServerResponse });
      return json({
        transactionId: hex(out.transactionId),
        profileMetadata: toBase64(out.profileMetadata),
        smdpSigned2: toBase64(out.smdpSigned2),
        smdpSignature2: toBase64(signatureDataObject(out.smdpSignature2)),
        smdpCertificate: toBase64(out.smdpCertificate),
      });
    },
    getBoundProfilePackage: async (request) => {
      const transactionId = transactionIdField(request);
      const prepareDownloadResponse = asn1Field(request, 'prepareDownloadResponse', PrepareDownloadResponse);
      const out = await getBoundProfilePackage(ctx, { transactionId, prepareDownloadResponse });
      return json({ transactionId: hex(out.transactionId), boundProfilePackage: toBase64(out.boundProfilePackage) });
    },
    handleNotification: async (request) => {
      await handleNotification(ctx, { pendingNotification: asn1Field(request, 'pendingNotification', PendingNotification) });
      return { status: 204 };
    },
    cancelSession: async (request) => {
      const transactionId = transactionIdField(request);
      await cancelSession(ctx, { transactionId, cancelSessionResponse: asn1Field(request, 'cancelSessionResponse', CancelSessionResponse) });
      return json({});
    },
  };
  const routes = new Map<string, HttpRoute>();
  for (const [name, handler] of Object.entries(handlers)) {
    routes.set(`/gsma/rsp2/es9plus/${name}`, {
      interface: 'es9plus',
      function: name,
      requiresOperator: false,
      handle: (input) => handler(parseJsonObject(input.body)),
    });
  }
  return routes;
}
