// ES10b.AuthenticateServer / PrepareDownload / CancelSession at the APDU level, against SM-DP+ messages signed
// with the SGP.26 DPauth / DPpb keys (SGP.22 §5.7.13, §5.7.5, §5.7.14).
import { describe, expect, it } from 'vitest';
import {
  AuthenticateServerResponse,
  CancelSessionResponse,
  EuiccCancelSessionSigned,
  EuiccSigned1,
  GetEuiccChallengeResponse,
  PrepareDownloadResponse,
  Certificate,
  ServerSigned1,
  derOf,
  euiccSignature2Tbs,
  hashConfirmationCode,
  signRaw,
  verifyRaw,
} from '@zkesim/protocol';
import { issueDsAuthCertificate, issueDsTlsCertificate, parseCertificate, serialNumberFromRandom } from '@zkesim/pki';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { hex, sgp26Card, sgp26File, TEST_NOW } from '@zkesim/testing/euicc/sgp26Euicc';
import { TestSmdp } from '@zkesim/testing/euicc/testSmdp';

async function authenticated(curve: 'nist' | 'brp' = 'nist') {
  const es10 = await Es10Client.open(sgp26Card());
  const smdp = new TestSmdp(curve);
  const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
  const response = await es10.send(smdp.initiateAuthentication(euiccChallenge));
  return { es10, smdp, euiccChallenge, response };
}

function authenticateError(bytes: Uint8Array): number | undefined {
  const response = AuthenticateServerResponse.decode(bytes);
  return 'authenticateResponseError' in response ? response.authenticateResponseError.authenticateErrorCode : undefined;
}

describe('ES10b.AuthenticateServer (SGP.22 §5.7.13)', () => {
  for (const curve of ['nist', 'brp'] as const) {
    it(`signs euiccSigned1 with the ${curve} eUICC key after checking CERT.DPauth and serverSignature1`, async () => {
      const { smdp, response } = await authenticated(curve);
      const decoded = AuthenticateServerResponse.decode(response);
      if (!('authenticateResponseOk' in decoded)) throw new Error('expected authenticateResponseOk');
      const ok = decoded.authenticateResponseOk;
      expect(ok.euiccSigned1.transactionId).toEqual(smdp.transactionId);
      expect(ok.euiccSigned1.ctxParams1.ctxParamsForCommonAuthentication.matchingId).toBe('MATCHING-ID-1');
      const euiccKey = parseCertificate(derOf(ok.euiccCertificate)).publicKey;
      expect(verifyRaw(euiccKey, derOf(ok.euiccSigned1), ok.euiccSignature1)).toBe(true);
      expect(EuiccSigned1.encode(ok.euiccSigned1)).toEqual(derOf(ok.euiccSigned1));
    });
  }

  it('answers noSessionContext(4) without a preceding GetEUICCChallenge', async () => {
    const es10 = await Es10Client.open(sgp26Card());
    expect(authenticateError(await es10.send(new TestSmdp().initiateAuthentication(new Uint8Array(16))))).toBe(4);
  });

  it('answers euiccChallengeMismatch(6) for another challenge', async () => {
    const es10 = await Es10Client.open(sgp26Card());
    await es10.send(hex('BF2E00'));
    expect(authenticateError(await es10.send(new TestSmdp().initiateAuthentication(new Uint8Array(16))))).toBe(6);
  });

  it('answers invalidSignature(2) when serverSigned1 was changed after signing', async () => {
    const es10 = await Es10Client.open(sgp26Card());
    const smdp = new TestSmdp();
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
    const other = ServerSigned1.decode(ServerSigned1.encode({ transactionId: hex('01'), euiccChallenge, serverAddress: 'evil.example', serverChallenge: new Uint8Array(16) }));
    expect(authenticateError(await es10.send(smdp.initiateAuthentication(euiccChallenge, { serverSigned1: other })))).toBe(2);
  });

  it('answers ciPKUnknown(7) for an unknown CI key or a chain to another CI, invalidCertificate(1) for a non-DPauth certificate', async () => {
    const cases: Array<[Partial<Parameters<TestSmdp['initiateAuthentication']>[1]>, number]> = [
      [{ euiccCiPKIdToBeUsed: new Uint8Array(20) }, 7],
      // The EUM certificate is signed by the CI but is a CA certificate without the dp-auth role.
      [{ serverCertificate: (await import('@zkesim/protocol')).Certificate.decode(sgp26File('EUM/CERT_EUM_ECDSA_NIST.der')) }, 1],
      // A brainpool DPauth certificate does not chain to the NIST CI named by euiccCiPKIdToBeUsed.
      [{ serverCertificate: (await import('@zkesim/protocol')).Certificate.decode(sgp26File('DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der')) }, 7],
    ];
    for (const [change, code] of cases) {
      const es10 = await Es10Client.open(sgp26Card());
      const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
      expect(authenticateError(await es10.send(new TestSmdp().initiateAuthentication(euiccChallenge, change ?? {})))).toBe(code);
    }
  });
});

describe('ES10b.AuthenticateServer: the serverCertificate role (SGP.22 §5.7.13)', () => {
  // SGP.26 has no SM-DS certificates: the SM-DS ones are issued here by the SGP.26 NIST CI, so the chain is
  // the card's own and only the role policy differs.
  const ci = new TestSmdp().pki.ci;
  const issueDs = (issue: typeof issueDsAuthCertificate) => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const certificate = issue({
      ci, publicKey: pair.publicKey, serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
      notBefore: new Date(TEST_NOW.getTime() - 86_400_000), notAfter: new Date(TEST_NOW.getTime() + 365 * 86_400_000),
      organization: 'zkesim', commonName: 'testsmds.example.com', registeredId: '2.999.20', dnsNames: ['testsmds.example.com'],
    });
    return { certificate, privateKey: pair.privateKey };
  };

  /** AuthenticateServer with serverSigned1 signed by `privateKey` and `certificateDer` as serverCertificate. */
  async function authenticateWith(certificateDer: Uint8Array, privateKey: Parameters<typeof signRaw>[0]) {
    const es10 = await Es10Client.open(sgp26Card());
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
    const serverSigned1 = ServerSigned1.decode(
      ServerSigned1.encode({ transactionId: hex('0102'), euiccChallenge, serverAddress: 'testsmds.example.com', serverChallenge: new Uint8Array(randomBytes(16)) }),
    );
    const request = new TestSmdp().initiateAuthentication(euiccChallenge, {
      serverSigned1,
      serverSignature1: signRaw(privateKey, derOf(serverSigned1)),
      serverCertificate: Certificate.decode(certificateDer),
    });
    return AuthenticateServerResponse.decode(await es10.send(request));
  }

  it('accepts CERT.DSauth (an SM-DS, ES11 event retrieval) as well as CERT.DPauth', async () => {
    const dsAuth = issueDs(issueDsAuthCertificate);
    const response = await authenticateWith(dsAuth.certificate.der, dsAuth.privateKey);
    if (!('authenticateResponseOk' in response)) throw new Error(`expected authenticateResponseOk, got ${JSON.stringify(response)}`);
    expect(response.authenticateResponseOk.euiccSigned1.serverAddress).toBe('testsmds.example.com');
    const euiccKey = parseCertificate(derOf(response.authenticateResponseOk.euiccCertificate)).publicKey;
    expect(verifyRaw(euiccKey, derOf(response.authenticateResponseOk.euiccSigned1), response.authenticateResponseOk.euiccSignature1)).toBe(true);
    const { pki } = new TestSmdp();
    expect('authenticateResponseOk' in (await authenticateWith(pki.dpauth.certificate.der, pki.dpauth.privateKey))).toBe(true);
  });

  it('answers invalidOid(5) for CI-issued certificates of other roles (DPpb, DPtls, DStls), each signing serverSigned1 itself', async () => {
    const { pki } = new TestSmdp();
    const dsTls = issueDs(issueDsTlsCertificate);
    const others: Array<[string, Uint8Array, Parameters<typeof signRaw>[0]]> = [
      ['DPpb', pki.dppb.certificate.der, pki.dppb.privateKey],
      ['DPtls', pki.dptls.certificate.der, pki.dptls.privateKey],
      ['DStls', dsTls.certificate.der, dsTls.privateKey],
    ];
    for (const [name, certificateDer, privateKey] of others) {
      const response = await authenticateWith(certificateDer, privateKey);
      expect({ name, code: 'authenticateResponseError' in response ? response.authenticateResponseError.authenticateErrorCode : 'ok' }).toEqual({ name, code: 5 });
    }
  });
});

describe('ES10b.PrepareDownload (SGP.22 §5.7.5)', () => {
  it('returns otPK.EUICC and the hashCc, signed over euiccSigned2 ‖ 5F37 smdpSignature2', async () => {
    const { es10, smdp, response } = await authenticated();
    const request = smdp.authenticateClient(response, { confirmationCode: '1234' });
    const decoded = PrepareDownloadResponse.decode(await es10.send(request));
    if (!('downloadResponseOk' in decoded)) throw new Error('expected downloadResponseOk');
    const { euiccSigned2, euiccSignature2 } = decoded.downloadResponseOk;
    expect(euiccSigned2.euiccOtpk).toHaveLength(65);
    expect(euiccSigned2.hashCc).toEqual(hashConfirmationCode('1234', smdp.transactionId));
    const euiccKey = smdp.pki.euicc.publicKey;
    const smdpSignature2 = (await import('@zkesim/protocol')).PrepareDownloadRequest.decode(request).smdpSignature2;
    expect(verifyRaw(euiccKey, euiccSignature2Tbs(derOf(euiccSigned2), smdpSignature2), euiccSignature2)).toBe(true);
  });

  it('answers invalidCertificate(1) for a DPauth certificate in place of DPpb, invalidTransactionId(5), noSessionContext(4)', async () => {
    const first = await authenticated();
    const wrongRole = PrepareDownloadResponse.decode(await first.es10.send(first.smdp.authenticateClient(first.response, { certificate: sgp26File('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der') })));
    expect(wrongRole).toMatchObject({ downloadResponseError: { downloadErrorCode: 1 } });

    const second = await authenticated();
    const request = second.smdp.authenticateClient(second.response);
    second.smdp.transactionId = hex('0102');
    const other = PrepareDownloadResponse.decode(await second.es10.send(second.smdp.authenticateClient(second.response)));
    expect(other).toMatchObject({ downloadResponseError: { downloadErrorCode: 5 } });
    const none = PrepareDownloadResponse.decode(await second.es10.send(request));
    expect(none).toMatchObject({ downloadResponseError: { downloadErrorCode: 4 } });
  });
});

describe('ES10b.CancelSession (SGP.22 §5.7.14)', () => {
  it('signs euiccCancelSessionSigned with the SM-DP+ OID and ends the session', async () => {
    const { es10, smdp } = await authenticated();
    const request = Uint8Array.from([0xbf, 0x41, 0x15, 0x80, 0x10, ...smdp.transactionId, 0x81, 0x01, 0x00]);
    const decoded = CancelSessionResponse.decode(await es10.send(request));
    if (!('cancelSessionResponseOk' in decoded)) throw new Error('expected cancelSessionResponseOk');
    const { euiccCancelSessionSigned, euiccCancelSessionSignature } = decoded.cancelSessionResponseOk;
    expect(euiccCancelSessionSigned.smdpOid).toBe('2.999.10');
    expect(verifyRaw(smdp.pki.euicc.publicKey, EuiccCancelSessionSigned.encode(euiccCancelSessionSigned), euiccCancelSessionSignature)).toBe(true);
    expect(CancelSessionResponse.decode(await es10.send(request))).toEqual({ cancelSessionResponseError: 5 });
  });
});
