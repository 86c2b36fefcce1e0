// A complete download (SGP.22 v2.2.2 §3.1.3) with every SM-DP+ key the LPA and the eUICC see only in a PKCS#11
// token (SoftHSM2, created for this run): SK.DPauth and SK.DPpb signing in the SM-DP+ through pkcs11js, and
// SK.DPtls (§2.6.6) in nginx with the libp11 engine in front of ES9+, because Node's bundled OpenSSL cannot
// use a token key for TLS (SECURITY.md, "Keys in an HSM"). The SM-DP+'s own listener is only the loopback hop
// behind the terminator, with a certificate of another CA that LPAs do not trust.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticateServerResponse, PrepareDownloadResponse, iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { developmentOids, loadEntity, toPem, type RspCertificate } from '@zkesim/pki';
import { systemRandom } from '@zkesim/rsp-server';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { createSoftHsm, softHsmAvailable, type SoftHsm } from '@zkesim/testing/smdp/softhsm';
import { sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';
import { startTlsTerminator, tlsTerminatorAvailable, type TlsTerminator } from '@zkesim/testing/smdp/tlsTerminator';
import { Pkcs11Token } from '../src/adapters/pkcs11/pkcs11Token.js';
import { issueTokenCredentials, issueTokenTlsCertificate } from '../src/adapters/pkcs11/tokenCredentials.js';
import { PKCS11_PIN_VARIABLE } from '../src/adapters/signing/signingKeys.js';

const available = softHsmAvailable() && tlsTerminatorAvailable();
let hsm: SoftHsm;
let h: Harness;
let terminator: TlsTerminator;
let dpTls: RspCertificate;

beforeAll(async () => {
  if (!available) return;
  hsm = createSoftHsm();
  const ci = loadEntity(sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem'), sgp26('CertificateIssuer/SK_CI_ECDSA_NIST.pem'));
  const common = { ci, curve: 'P-256' as const, registeredId: developmentOids.smdpPlus, organization: 'zkesim', now: new Date(Date.now() - 60_000), validityDays: 30, random: systemRandom };
  const token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  let issued: { dpAuth: RspCertificate; dpPb: RspCertificate };
  try {
    issued = issueTokenCredentials({ ...common, token, labels: { dpAuth: 'dpauth', dpPb: 'dppb' } });
    dpTls = issueTokenTlsCertificate({ ...common, token, label: 'dptls', dnsNames: [smdpHost] });
  } finally {
    token.close();
  }
  const file = (name: string, certificate: RspCertificate): string => {
    const path = join(hsm.dir, name);
    writeFileSync(path, toPem(certificate.der, 'CERTIFICATE'));
    return path;
  };
  const files = { dpAuth: file('dpauth.cert.pem', issued.dpAuth), dpPb: file('dppb.cert.pem', issued.dpPb), dpTls: file('dptls.cert.pem', dpTls) };
  process.env[PKCS11_PIN_VARIABLE] = hsm.pin;
  h = await startHarness((config, { pki }) => {
    config.signing = { kind: 'pkcs11', module: hsm.module, tokenLabel: hsm.tokenLabel };
    config.credentials = [
      { ciCertificate: sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der'), dpAuthCertificate: files.dpAuth, dpAuthKeyLabel: 'dpauth', dpPbCertificate: files.dpPb, dpPbKeyLabel: 'dppb' },
    ];
    // The loopback hop: a certificate of the operator test CA (localhost, 127.0.0.1), not a DPtls one.
    config.es9 = [{ port: 0, tlsCertificate: pki.callbackCert, tlsKey: pki.callbackKey }];
    // ES2+ (operators, not part of the download) keeps its own listener and TLS key file.
    config.es2.tlsCertificate = pki.dpTlsCert;
    config.es2.tlsKey = pki.dpTlsKey;
  });
  terminator = await startTlsTerminator({
    dir: hsm.dir, module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin, keyLabel: 'dptls', certificate: files.dpTls,
    upstreamUrl: h.smdp.es9Url, upstreamCa: h.pki.operatorCa, upstreamName: 'localhost',
  });
});
afterAll(async () => {
  await terminator?.close();
  await h?.close();
  delete process.env[PKCS11_PIN_VARIABLE];
  hsm?.cleanup();
});

describe.skipIf(!available)('download with SK.DPauth, SK.DPpb and SK.DPtls only in a PKCS#11 token', () => {
  it('serves ES9+ TLS with CERT.DPtls whose key is the token\'s, checked against the CI', async () => {
    const presented = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: terminator.port, servername: smdpHost, ca: readFileSync(h.pki.ciNist) }, () => {
        resolve(socket.getPeerCertificate().raw);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(Buffer.from(dpTls.der).equals(presented)).toBe(true);
  });

  it('the eUICC installs a profile downloaded through the terminator', async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'HSM-TLS-1' })) as IccidDigits;
    const lpa = await TestLpa.create(terminator.url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    expect(Object.keys(AuthenticateServerResponse.decode(await lpa.authenticateServer('HSM-TLS-1')))).toEqual(['authenticateResponseOk']);
    await lpa.authenticateClient();
    expect(Object.keys(PrepareDownloadResponse.decode(await lpa.prepareDownload()))).toEqual(['downloadResponseOk']);
    await lpa.getBoundProfilePackage();
    expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  });

  it('the SM-DP+ listener itself is not trusted by an LPA (its certificate is no DPtls of the CI)', async () => {
    await expect(TestLpa.create(h.smdp.es9Url, h.pki.ciNist).then((lpa) => lpa.initiateAuthentication())).rejects.toThrow();
  });
});
