// The ASN.1 binding's plumbing (SGP.22 §6.6) as an SM-DS would use it: only the ES11 alternatives served,
// each failure answered as the function's error INTEGER through a table.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyObjectSigner, issueCiCertificate } from '@zkesim/pki';
import {
  Certificate, Codes, InitiateAuthenticationResponse_initiateAuthenticationError, RemoteProfileProvisioningRequest, RemoteProfileProvisioningResponse, RspError,
} from '@zkesim/protocol';
import { asn1BindingRoute, asn1ContentType, asn1ErrorTable, answering } from './asn1Binding.js';
import type { RouteInput } from './route.js';

// ES11 InitiateAuthentication is answered with the same InitiateAuthenticationResponse: the SM-DS's status codes on its names.
const initiateAuthenticationErrors = asn1ErrorTable(
  InitiateAuthenticationResponse_initiateAuthenticationError,
  (n) => ({ initiateAuthenticationResponse: { initiateAuthenticationError: n } }),
  { euiccVersionNotSupportedByDp: [Codes.smdsSvnUnsupported], ciPKNotSupported: [Codes.smdsCiPublicKeyUnsupported] },
  127,
);

const request = RemoteProfileProvisioningRequest.encode({
  initiateAuthenticationRequest: {
    euiccChallenge: new Uint8Array(16).fill(7),
    smdpAddress: 'smds.example',
    euiccInfo1: { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [new Uint8Array(20).fill(1)], euiccCiPKIdListForSigning: [] },
  },
});
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const serverCertificate = Certificate.decode(
  issueCiCertificate({
    serialNumber: Uint8Array.of(0x40, 1, 2, 3, 4, 5, 6, 7),
    notBefore: new Date(0),
    notAfter: new Date(Date.UTC(2100, 0)),
    signer: createKeyObjectSigner(keys.privateKey, keys.publicKey),
    subject: [{ type: 'CN', value: 'Test CI' }],
  }).der,
);

const input = (body: Uint8Array): RouteInput => ({ body, contentType: asn1ContentType, adminProtocol: undefined });

/** A route whose initiateAuthentication fails with `error`, or answers when there is none. */
function routeFailingWith(error?: unknown) {
  return asn1BindingRoute({
    initiateAuthenticationRequest: answering(initiateAuthenticationErrors, async (received) => {
      if (error !== undefined) throw error;
      const transactionId = new Uint8Array(16).fill(9);
      return {
        initiateAuthenticationResponse: {
          initiateAuthenticationOk: {
            transactionId,
            serverSigned1: { transactionId, euiccChallenge: received.euiccChallenge, serverAddress: received.smdpAddress, serverChallenge: new Uint8Array(16) },
            serverSignature1: new Uint8Array(64),
            euiccCiPKIdToBeUsed: new Uint8Array(20).fill(1),
            serverCertificate,
          },
        },
      };
    }),
  });
}

async function answer(error?: unknown): Promise<RemoteProfileProvisioningResponse> {
  const result = await routeFailingWith(error).handle(input(request));
  expect(result).toMatchObject({ status: 200, contentType: asn1ContentType });
  return RemoteProfileProvisioningResponse.decode(result.body as Uint8Array);
}

describe('ASN.1 binding plumbing', () => {
  it('hands the decoded alternative to its handler and answers in DER', async () => {
    const answered = await answer();
    if (!('initiateAuthenticationResponse' in answered) || !('initiateAuthenticationOk' in answered.initiateAuthenticationResponse)) {
      throw new Error(`unexpected ${JSON.stringify(answered)}`);
    }
    expect(answered.initiateAuthenticationResponse.initiateAuthenticationOk.serverSigned1).toMatchObject({
      euiccChallenge: new Uint8Array(16).fill(7),
      serverAddress: 'smds.example',
    });
  });

  it('maps an RspError to the number of its status code, any other code to the table default', async () => {
    expect(await answer(new RspError(Codes.smdsSvnUnsupported))).toEqual({ initiateAuthenticationResponse: { initiateAuthenticationError: 2 } });
    expect(await answer(new RspError(Codes.smdsCiPublicKeyUnsupported))).toEqual({ initiateAuthenticationResponse: { initiateAuthenticationError: 3 } });
    expect(await answer(new RspError(Codes.functionExecutionError))).toEqual({ initiateAuthenticationResponse: { initiateAuthenticationError: 127 } });
  });

  it('lets a crash through instead of answering it as a function error', async () => {
    await expect(routeFailingWith(new TypeError('bug')).handle(input(request))).rejects.toThrow(TypeError);
  });

  it('refuses an undecodable body and an alternative the server does not serve as invalid requests', async () => {
    const refusal = (body: Uint8Array, route = routeFailingWith()) =>
      route.handle(input(body)).then(
        () => undefined,
        (error: unknown) => error,
      );
    const garbage = await refusal(Uint8Array.of(0xa2, 0x03, 0x01, 0x02));
    expect(garbage).toBeInstanceOf(RspError);
    expect((garbage as RspError).is(Codes.invalidRequestField)).toBe(true);
    expect((garbage as RspError).subjectIdentifier).toBe('body');
    const unserved = await refusal(request, asn1BindingRoute({}));
    expect((unserved as RspError).is(Codes.invalidRequestField)).toBe(true);
    expect((unserved as RspError).message).toContain('initiateAuthenticationRequest');
  });

  it('labels the route for metrics and logs, open to any client', () => {
    expect(asn1BindingRoute({})).toMatchObject({ interface: 'asn1', function: 'remoteProfileProvisioning', requiresClient: false });
  });
});
