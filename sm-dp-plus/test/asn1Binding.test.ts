// The ES9+ ASN.1 binding (SGP.22 v2.2.2 §6.6) at /gsma/rsp2/asn1, with the software eUICC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticateServerRequest, AuthenticateServerResponse, GetEuiccChallengeResponse, EUICCInfo1, RemoteProfileProvisioningRequest,
  RemoteProfileProvisioningResponse, Es10Channel,
} from '@zkesim/protocol';
import { post } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function call(request: RemoteProfileProvisioningRequest): Promise<RemoteProfileProvisioningResponse> {
  const result = await post(`${h.smdp.es9Url}/gsma/rsp2/asn1`, RemoteProfileProvisioningRequest.encode(request), {
    ca: h.pki.ciNist,
    headers: { 'Content-Type': 'application/x-gsma-rsp-asn1' },
  });
  expect(result.status).toBe(200);
  expect(result.headers['content-type']).toBe('application/x-gsma-rsp-asn1');
  return RemoteProfileProvisioningResponse.decode(result.bytes);
}

describe('ES9+ ASN.1 binding', () => {
  it('runs InitiateAuthentication and AuthenticateClient in DER, the card accepting the SM-DP+ signature', async () => {
    await h.order({ eid: sgp26Eid, matchingId: 'ASN1-1' });
    const es10 = await Es10Channel.open(sgp26Card().card);
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(Uint8Array.of(0xbf, 0x2e, 0x00)));
    const euiccInfo1 = EUICCInfo1.decode(await es10.send(Uint8Array.of(0xbf, 0x20, 0x00)));
    const initiated = await call({ initiateAuthenticationRequest: { euiccChallenge, smdpAddress: smdpHost, euiccInfo1 } });
    if (!('initiateAuthenticationResponse' in initiated) || !('initiateAuthenticationOk' in initiated.initiateAuthenticationResponse)) {
      throw new Error(`unexpected ${JSON.stringify(Object.keys(initiated))}`);
    }
    const ok = initiated.initiateAuthenticationResponse.initiateAuthenticationOk;
    const authenticateServer = AuthenticateServerResponse.decode(
      await es10.send(
        AuthenticateServerRequest.encode({
          serverSigned1: ok.serverSigned1,
          serverSignature1: ok.serverSignature1,
          euiccCiPKIdToBeUsed: ok.euiccCiPKIdToBeUsed,
          serverCertificate: ok.serverCertificate,
          ctxParams1: {
            ctxParamsForCommonAuthentication: { matchingId: 'ASN1-1', deviceInfo: { tac: Uint8Array.of(0x35, 0x29, 0x06, 0x11), deviceCapabilities: {} } },
          },
        }),
      ),
    );
    expect(Object.keys(authenticateServer)).toEqual(['authenticateResponseOk']);
    const authenticated = await call({ authenticateClientRequest: { transactionId: ok.transactionId, authenticateServerResponse: authenticateServer } });
    expect('authenticateClientResponseEs9' in authenticated && Object.keys(authenticated.authenticateClientResponseEs9)).toEqual(['authenticateClientOk']);
  });

  it('answers errors as the INTEGER alternative: invalidDpAddress(1), invalidTransactionId(10)', async () => {
    const es10 = await Es10Channel.open(sgp26Card().card);
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(Uint8Array.of(0xbf, 0x2e, 0x00)));
    const euiccInfo1 = EUICCInfo1.decode(await es10.send(Uint8Array.of(0xbf, 0x20, 0x00)));
    expect(await call({ initiateAuthenticationRequest: { euiccChallenge, smdpAddress: 'wrong.example.com', euiccInfo1 } })).toEqual({
      initiateAuthenticationResponse: { initiateAuthenticationError: 1 },
    });
    const unknown = await call({
      authenticateClientRequest: {
        transactionId: new Uint8Array(16),
        authenticateServerResponse: { authenticateResponseError: { transactionId: new Uint8Array(16), authenticateErrorCode: 127 } },
      },
    });
    expect(unknown).toEqual({ authenticateClientResponseEs9: { authenticateClientError: 10 } });
  });

  it('refuses bytes that are not a RemoteProfileProvisioningRequest in the binding\'s own content type, not in JSON', async () => {
    const result = await post(`${h.smdp.es9Url}/gsma/rsp2/asn1`, Uint8Array.of(0xa2, 0x03, 0x01, 0x02), { ca: h.pki.ciNist });
    expect([result.status, result.headers['content-type'], result.bytes.length]).toEqual([400, 'application/x-gsma-rsp-asn1', 0]);
  });
});
