// ES12 over mutual TLS with the published SGP.26 test PKI: OpenSSL's handshake check (chain to the configured
// CI, validity, clientAuth purpose) accepts the SGP.26 SM-DP+ TLS certificates (CERT.DPtls, NIST P-256 and
// brainpoolP256r1, both signed by their Test CI), and the SM-DS's own role check identifies them as SM-DP+s.
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es12Functions, renderRequest } from '@zkesim/protocol';
import { createSmdsLab, type SmdsLab } from '@zkesim/testing/smds/lab';
import { post, statusOf } from '@zkesim/testing/smdp/https';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

let lab: SmdsLab;
let smds: Awaited<ReturnType<SmdsLab['startSmds']>>;

beforeAll(async () => {
  lab = createSmdsLab();
  smds = await lab.startSmds('sgp26', (config) => {
    config.clientCis = [sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der'), sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.der')];
    config.crls = [];
  });
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

/** ES12.RegisterEvent presenting the SGP.26 CERT.DPtls of `curve` (PEM copy of the published DER). */
function register(curve: 'NIST' | 'BRP', eventId: string, maxVersion?: 'TLSv1.2') {
  const certificate = join(lab.dir, `sgp26-dptls-${curve}.pem`);
  writeFileSync(certificate, new X509Certificate(readFileSync(sgp26(`DPtls/CERT_S_SM_DP_VARO_TLS_${curve}.der`))).toString());
  const body = renderRequest(es12Functions.registerEvent, {
    header: { functionRequesterIdentifier: 'sgp26', functionCallIdentifier: eventId },
    eid: lab.eid,
    rspServerAddress: 'testsmdpplus1.example.com',
    eventId,
  } as never);
  return post(`https://${smds.peerAddress}${es12Functions.registerEvent.path}`, JSON.stringify(body), {
    ca: lab.ciPemPath,
    servername: 'localhost',
    cert: certificate,
    key: sgp26(`DPtls/SK_S_SM_DP_TLS_${curve}.pem`),
    ...(maxVersion === undefined ? {} : { brainpool: true }),
  });
}

describe('ES12 with the SGP.26 test PKI', () => {
  it('accepts the SGP.26 NIST CERT.DPtls as an SM-DP+ client certificate', async () => {
    const answer = await register('NIST', 'SGP26-NIST');
    expect(answer.status).toBe(200);
    expect(statusOf(answer).status).toBe('Executed-Success');
  });

  // Over TLS 1.2 (SGP.22 §2.6.6's mandatory version): Node 20's OpenSSL 3.0 has no TLS 1.3 signature scheme for
  // brainpool keys (RFC 8734 came in OpenSSL 3.2), so a brainpool client offering TLS 1.3 sends no certificate.
  it('accepts the SGP.26 brainpoolP256r1 CERT.DPtls over TLS 1.2', async () => {
    const answer = await register('BRP', 'SGP26-BRP', 'TLSv1.2');
    expect(answer.status).toBe(200);
    expect(statusOf(answer).status).toBe('Executed-Success');
  });
});
