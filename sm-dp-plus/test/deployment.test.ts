// Deployment settings: /healthz and /metrics on the admin listener, a brainpoolP256r1 ES9+ port next to
// the NIST one with DPauth/DPpb chosen by the CI the eUICC names, ES2+ on its own port with mutual TLS
// enforced at the handshake, and an operator pinned by certificate fingerprint.
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startSmdpServer } from '../src/main.js';
import { migrations } from '../src/storage/sqlite/migrations.js';

const latestSchemaVersion = migrations.at(-1)?.version;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, refusedAtHandshake, statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { createTestPki, sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { KeyEncryptionKeyError } from '../src/adapters/secrets/keyEncryptionKey.js';
import { connect, type ConnectionOptions } from 'node:tls';

describe('two ES9+ ports (NIST and brainpoolP256r1), ES2+ on its own port, pinned operator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness((config, env) => {
      config.metrics = true;
      config.es9.push({ port: 0, tlsCertificate: env.pki.dpTlsBrainpoolCert, tlsKey: env.pki.dpTlsBrainpoolKey });
      config.credentials.push({
        ciCertificate: sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.der'),
        dpAuthCertificate: sgp26('DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der'),
        dpAuthKey: sgp26('DPauth/SK_S_SM_DPauth_ECDSA_BRP.pem'),
        dpPbCertificate: sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der'),
        dpPbKey: sgp26('DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem'),
      });
      const fingerprint = new X509Certificate(readFileSync(env.pki.operatorCert)).fingerprint256;
      config.es2.operators = [{ operatorId: 'operator', pinnedFingerprints: [fingerprint], pinnedIssuers: [env.pki.operatorCa], callbackUrl: env.callbackUrl }];
    });
  });
  afterAll(() => h.close());

  it('speaks TLS 1.3 and TLS 1.2 with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 on the NIST port (SGP.22 §2.6.6)', async () => {
    const url = new URL(h.smdp.es9Url);
    const handshake = (options: ConnectionOptions) =>
      new Promise<{ protocol: string | null; cipher: string }>((resolve, reject) => {
        const socket = connect({ host: url.hostname, port: Number(url.port), servername: smdpHost, ca: readFileSync(h.pki.ciNist), ...options }, () => {
          resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
          socket.end();
        });
        socket.on('error', reject);
      });
    expect((await handshake({})).protocol).toBe('TLSv1.3');
    expect(await handshake({ maxVersion: 'TLSv1.2' })).toEqual({ protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  });

  it('serves /healthz and Prometheus /metrics on the admin listener, with downloads by outcome and latency per function', async () => {
    const get = async (path: string) => (await fetch(`${h.smdp.adminUrl ?? ''}${path}`)).text();
    expect(JSON.parse(await get('/healthz'))).toMatchObject({ status: 'ok', schemaVersion: latestSchemaVersion });
    const metrics = await get('/metrics');
    expect(metrics).toContain('smdp_function_duration_seconds');
    expect(metrics).toContain('smdp_downloads_total');
  });

  it('runs ES2+ on its own port for the pinned operator only: no certificate or another CA is refused at the handshake, an unpinned one of its CA with 1.1.1 / 1.1', async () => {
    expect(h.smdp.es2Url).not.toBe(h.smdp.es9Url);
    const iccid = await h.order({ eid: sgp26Eid, matchingId: 'PINNED-1' });
    expect(iccid).toMatch(/^89/);
    const release = (tls: { cert?: string; key?: string }) =>
      post(`${h.smdp.es2Url}/gsma/rsp2/es2plus/releaseProfile`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: 'x' }, iccid }), {
        ca: h.pki.ciNist,
        ...tls,
      });
    expect(await refusedAtHandshake(release({}))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    expect(await refusedAtHandshake(release({ cert: h.pki.rogueCert, key: h.pki.rogueKey }))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    const unpinned = await release({ cert: h.pki.otherOperatorCert, key: h.pki.otherOperatorKey });
    expect(unpinned.status).toBe(403);
    expect(statusOf(unpinned)).toMatchObject({ status: 'Failed', subjectCode: '1.1.1', reasonCode: '1.1' });
    // ES9+ does not carry ES2+.
    expect((await post(`${h.smdp.es9Url}/gsma/rsp2/es2plus/releaseProfile`, '{}', { ca: h.pki.ciNist })).status).toBe(404);
    // The pinned operator reaches the function (whose outcome depends on the order h.order left), never 1.1.1.
    const pinned = await release({ cert: h.pki.operatorCert, key: h.pki.operatorKey });
    expect(pinned.status).toBe(200);
    expect(statusOf(pinned).subjectCode).not.toBe('1.1.1');
  });

  it('authenticates a brainpool eUICC on the brainpool port with the brainpool DPauth and DPpb', async () => {
    await h.order({ eid: sgp26Eid, matchingId: 'BRP-1' });
    const brainpoolUrl = h.smdp.es9Urls[1] as string;
    const lpa = await TestLpa.create(brainpoolUrl, h.pki.ciBrainpool, 'brp');
    lpa.brainpoolTls = true;
    expect(statusOf(await lpa.initiateAuthentication()).status).toBe('Executed-Success');
    await lpa.authenticateServer('BRP-1');
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    expect(lpa.openBoundProfilePackage().upp.length).toBeGreaterThan(10_000);
  });
});

describe('the SGP.26 test-lab configuration file', () => {
  it('loads, starts NIST and brainpool listeners with both credential sets, and stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smdp-lab-'));
    const file = fileURLToPath(new URL('../config/sgp26-test-lab.yaml', import.meta.url));
    const config = loadConfig({
      root: dir,
      file,
      env: { SMDP_DATABASE_PATH: join(dir, 'lab.db'), SMDP_LOG_LEVEL: 'silent', SMDP_PROFILES_PER_TEMPLATE: '1', SMDP_ES2_PORT: '0', SMDP_ADMIN_PORT: '0' },
    });
    config.es9 = config.es9.map((endpoint) => ({ ...endpoint, port: 0 }));
    const smdp = await startSmdpServer(config);
    try {
      expect(smdp.es9Urls).toHaveLength(2);
      expect(smdp.es9plus.context.credentials.map((c) => c.smdpOid)).toEqual(['2.999.10', '2.999.10']);
      expect(await smdp.repository.transaction((tx) => tx.countProfiles('available'))).toBe(4);
    } finally {
      await smdp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an operator accepting every certificate of its CA', () => {
  it('is allowed only when marked anyCertificateOfCa, and warned about at start', async () => {
    const lines: string[] = [];
    const logDestination = { write: (line: string) => void lines.push(line) };
    // The test configuration marks its operator CA (which issues operator certificates only) so.
    const harness = await startHarness((config) => {
      config.logLevel = 'warn';
    }, 0, { logDestination });
    try {
      const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string; operatorId?: string }).filter((line) => line.level === 40);
      expect(warnings).toContainEqual(expect.objectContaining({ operatorId: 'operator', msg: expect.stringMatching(/accepts every client certificate its CA issues/) }));
    } finally {
      await harness.close();
    }
  });
});

describe('the key-encryption key file', () => {
  it('is created 0600 on first start, and a group- or world-readable one stops the SM-DP+ from starting', async () => {
    const pki = createTestPki();
    try {
      const file = join(pki.dir, 'secrets', 'kek.key');
      const config = testConfig(pki, (c) => {
        c.secrets = { keyEncryptionKeyFile: file, generateKeyEncryptionKey: true };
      });
      await (await startSmdpServer(config)).close();
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      chmodSync(file, 0o644);
      await expect(startSmdpServer(config)).rejects.toThrow(KeyEncryptionKeyError);
      await expect(startSmdpServer(config)).rejects.toThrow(/readable by its group or others \(mode 0644\): refusing to start/);
      // Without the file and without generation, nothing is invented: the start fails naming both sources.
      rmSync(file);
      await expect(startSmdpServer({ ...config, secrets: { ...config.secrets, generateKeyEncryptionKey: false } })).rejects.toThrow(/SMDP_KEY_ENCRYPTION_KEY/);
    } finally {
      pki.cleanup();
    }
  });
});
