// ES2+ operators pinned by certificate, with the handshake's mutual TLS (SGP.22 §2.6.6): a pinned certificate must
// come with the CA it chains to (`pinnedIssuers`), since OpenSSL verifies the chain before the pin is looked at and
// Node 20 cannot trust a non-self-signed certificate by itself; a self-signed pinned certificate is its own.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { startSmdpServer } from '../src/main.js';
import { post, refusedAtHandshake, statusOf } from '@zkesim/testing/smdp/https';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { testConfig } from '@zkesim/testing/smdp/testConfig';

let pki: TestPki;
let selfSigned: { cert: string; key: string };

beforeAll(() => {
  pki = createTestPki();
  // A self-signed operator client certificate (what a small operator may pin).
  const ext = join(pki.dir, 'self-operator.ext');
  writeFileSync(ext, '[v3]\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  const key = join(pki.dir, 'self-operator.key.pem');
  const cert = join(pki.dir, 'self-operator.pem');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], { stdio: 'pipe' });
  execFileSync('openssl', ['req', '-new', '-x509', '-key', key, '-subj', '/O=Small Operator/CN=operator', '-days', '30', '-sha256', '-config', ext, '-extensions', 'v3', '-out', cert], {
    stdio: 'pipe',
  });
  selfSigned = { cert, key };
});
afterAll(() => pki.cleanup());

const releaseBody = JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: 'x' }, iccid: '89049032000000000001' });

describe('ES2+ operators pinned by certificate', () => {
  it('refuses to start with a pinned certificate that is not self-signed and no pinnedIssuers, naming the key', async () => {
    const config = testConfig(pki, (c) => {
      c.es2.operators = [{ operatorId: 'operator', pinnedCertificates: [pki.operatorCert] }];
    });
    const failure = await startSmdpServer(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(String(failure)).toMatch(/es2\.operators\[0\]\.pinnedIssuers: .*mutual TLS is enforced at the TLS handshake/);
  });

  it('serves a self-signed pinned certificate without pinnedIssuers, and refuses another self-signed one at the handshake', async () => {
    const smdp = await startSmdpServer(testConfig(pki, (c) => (c.es2.operators = [{ operatorId: 'operator', pinnedCertificates: [selfSigned.cert] }])));
    try {
      const answer = await post(`${smdp.es2Url}/gsma/rsp2/es2plus/releaseProfile`, releaseBody, { ca: pki.ciNist, cert: selfSigned.cert, key: selfSigned.key });
      expect(answer.status).toBe(200);
      expect(statusOf(answer).subjectCode).not.toBe('1.1.1');
      // The operator CA's certificate is not an anchor of this port.
      const other = post(`${smdp.es2Url}/gsma/rsp2/es2plus/releaseProfile`, releaseBody, { ca: pki.ciNist, cert: pki.operatorCert, key: pki.operatorKey });
      expect(await refusedAtHandshake(other)).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    } finally {
      await smdp.close();
    }
  });
});
