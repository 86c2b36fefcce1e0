// Client-certificate identification for the mutually authenticated interfaces, with an identity other than
// an operator's: SM-DP+s calling an SM-DS on ES12 (SGP.22 §2.6.6), known by their OID. Certificates are
// issued in-process with @zkesim/pki; the last test runs a real handshake through startHttpsServer.
import { X509Certificate, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  createKeyObjectSigner, issueCiCertificate, issueClientCertificate, issueDpTlsCertificate, issueDsTlsCertificate, serialNumberFromRandom,
  toPem, type IssuingCa, type RspCertificate,
} from '@zkesim/pki';
import { silentLogger } from '@zkesim/protocol';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { adminEndpoints } from './adminEndpoints.js';
import { clientCaPems, createClientIdentifier, type ClientTrust } from './clientCertificate.js';
import { closeServer, startHttpsServer } from './listen.js';
import { createServerMetrics } from './metrics.js';
import type { HttpRoute } from './route.js';

/** What an SM-DS knows an ES12 caller as. */
interface SmdpPeer {
  smdpOid: string;
}

const now = Date.now();
const year = 365 * 24 * 3600 * 1000;
const validity = { notBefore: new Date(now - 1000), notAfter: new Date(now + year) };
const serial = () => serialNumberFromRandom(new Uint8Array(randomBytes(16)));
const keys = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

function ca(commonName: string): IssuingCa & { keys: { privateKey: KeyObject; publicKey: KeyObject } } {
  const pair = keys();
  const signer = createKeyObjectSigner(pair.privateKey, pair.publicKey);
  const certificate = issueCiCertificate({ ...validity, serialNumber: serial(), signer, subject: [{ type: 'CN', value: commonName }] });
  return { certificate, signer, keys: pair };
}

function client(issuer: IssuingCa, commonName: string): { certificate: RspCertificate; key: KeyObject } {
  const pair = keys();
  const certificate = issueClientCertificate({ ...validity, serialNumber: serial(), ci: issuer, publicKey: pair.publicKey, organization: 'zkesim', commonName });
  return { certificate, key: pair.privateKey };
}

const pem = (certificate: RspCertificate) => toPem(certificate.der, 'CERTIFICATE');
const ci = ca('Test CI');
const rogueCi = ca('Rogue CI');
const smdpA = client(ci, 'SM-DP+ A');
const smdpB = client(ci, 'SM-DP+ B');
const rogue = client(rogueCi, 'SM-DP+ A');
const dsTlsKeys = keys();
const dsTls = issueDsTlsCertificate({
  ...validity, serialNumber: serial(), ci, publicKey: dsTlsKeys.publicKey, organization: 'zkesim', commonName: 'smds', registeredId: '2.999.20',
  ipAddresses: ['127.0.0.1'],
});
// A server certificate: CI-issued, EKU serverAuth and clientAuth (the DPtls an SM-DP+ presents on ES12).
const dpTlsKeys = keys();
const dpTls = issueDpTlsCertificate({
  ...validity, serialNumber: serial(), ci, publicKey: dpTlsKeys.publicKey, organization: 'zkesim', commonName: 'smdp-c', registeredId: '2.999.12',
  dnsNames: ['smdp-c.example'],
});

const trusts: ClientTrust<SmdpPeer>[] = [
  { identity: { smdpOid: '2.999.10' }, caCertificate: pem(ci.certificate), commonName: 'SM-DP+ A' },
  { identity: { smdpOid: '2.999.11' }, pinnedFingerprints: [new X509Certificate(rogue.certificate.der).fingerprint256], pinnedIssuers: [rogueCi.certificate.der] },
  { identity: { smdpOid: '2.999.12' }, caCertificate: ci.certificate.der, commonName: 'smdp-c' },
];

/** The two things the identifier reads from a TLS socket: the peer certificate and OpenSSL's verdict. */
function peer(certificate: RspCertificate, authorized: boolean): TLSSocket {
  const x509 = new X509Certificate(certificate.der);
  return { authorized, getPeerX509Certificate: () => x509 } as unknown as TLSSocket;
}

describe('client identification by TLS certificate', () => {
  const identify = createClientIdentifier(trusts, { now: () => now });

  it('gives the identity of the client whose CA issued the certificate, with the configured CN', () => {
    expect(identify(peer(smdpA.certificate, true))).toEqual({ smdpOid: '2.999.10' });
    expect(identify(peer(dpTls, true))).toEqual({ smdpOid: '2.999.12' });
    expect(identify(peer(smdpB.certificate, true))).toBeUndefined();
    expect(identify(peer(smdpA.certificate, false))).toBeUndefined();
  });

  it('gives the identity of a pinned certificate whatever its issuer, and nothing for an unknown one or one OpenSSL did not verify', () => {
    expect(identify(peer(rogue.certificate, true))).toEqual({ smdpOid: '2.999.11' });
    expect(identify(peer(rogue.certificate, false))).toBeUndefined();
    expect(createClientIdentifier(trusts.slice(0, 1), { now: () => now })(peer(rogue.certificate, true))).toBeUndefined();
  });

  it('refuses a certificate outside its validity period, and a socket without one', () => {
    const later = createClientIdentifier(trusts, { now: () => now + 2 * year });
    expect(later(peer(smdpA.certificate, true))).toBeUndefined();
    expect(later(peer(rogue.certificate, true))).toBeUndefined();
    expect(identify({ authorized: false, getPeerX509Certificate: () => undefined } as unknown as TLSSocket)).toBeUndefined();
  });

  it('lists the CAs of chained clients and the issuers of pinned ones for the TLS server, each once', () => {
    expect(clientCaPems(trusts)).toEqual([new X509Certificate(ci.certificate.der).toString(), new X509Certificate(rogueCi.certificate.der).toString()]);
  });
});

describe('startHttpsServer with client certificates and the admin endpoints', () => {
  function call(method: 'GET' | 'POST', url: string, certificate?: { certificate: RspCertificate; key: KeyObject }): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: pem(ci.certificate),
          ...(certificate === undefined
            ? {}
            : { cert: pem(certificate.certificate), key: certificate.key.export({ format: 'pem', type: 'pkcs8' }).toString() }),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
  }

  it('requires a certificate at the handshake, runs a client-only route for identified clients only, serves /healthz and /metrics', async () => {
    const route: HttpRoute<SmdpPeer> = {
      interface: 'es12',
      function: 'whoAmI',
      requiresClient: true,
      handle: async (input) => ({ status: 200, body: JSON.stringify(input.client) }),
    };
    const metrics = createServerMetrics({ prefix: 'test', defaultMetrics: false, sessionsHelp: 'sessions', outboxHelp: 'outbox' });
    const { server, url } = await startHttpsServer<SmdpPeer>({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pem(dsTls), key: dsTlsKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), minVersion: 'TLSv1.2' },
      clientCertificates: { trusts, clock: { now: () => Date.now() } },
      listener: {
        routes: new Map([['/whoami', route]]),
        maxBodyBytes: 1024,
        concurrency: new ConcurrencyLimit(4),
        metrics,
        logger: silentLogger,
        getEndpoints: adminEndpoints({ health: async () => ({ peers: trusts.length }), metrics }),
      },
    });
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await call('POST', `${url}/whoami`, smdpA)).toEqual({ status: 200, body: JSON.stringify({ smdpOid: '2.999.10' }) });
      expect(await call('POST', `${url}/whoami`, rogue)).toEqual({ status: 200, body: JSON.stringify({ smdpOid: '2.999.11' }) });
      expect((await call('POST', `${url}/whoami`, smdpB)).status).toBe(403);
      // No certificate: the handshake is refused (mutualTls.test.ts has every case).
      await expect(call('POST', `${url}/whoami`)).rejects.toThrow();
      expect(await call('GET', `${url}/healthz`, smdpA)).toEqual({ status: 200, body: JSON.stringify({ status: 'ok', peers: 3 }) });
      expect((await call('GET', `${url}/metrics`, smdpA)).body).toContain('test_http_rejections_total{reason="client-certificate"} 1');
    } finally {
      await closeServer(server);
    }
  });
});
