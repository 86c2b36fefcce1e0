// Mutual TLS at the handshake (SGP.22 §2.6.6: ES2+, ES12, ES15 are mutually authenticated): a port started
// with client certificates completes the TLS handshake only for a client certificate that OpenSSL chains to
// one of the configured CAs, within its validity; the HTTP-level identification then decides the role/CN/pin
// and answers HTTP 403 for a certificate under a trusted CA that is not a configured client. Real handshakes
// against startHttpsServer, certificates issued in-process with @zkesim/pki.
import { X509Certificate, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyObjectSigner, issueCiCertificate, issueClientCertificate, issueDsTlsCertificate, serialNumberFromRandom, toPem, type IssuingCa, type RspCertificate,
} from '@zkesim/pki';
import { Certificate, TBSCertificate, silentLogger } from '@zkesim/protocol';
import type { Server } from 'node:https';
import type { ClientTrust } from './clientCertificate.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { closeServer, startHttpsServer } from './listen.js';
import { createServerMetrics } from './metrics.js';
import type { HttpRoute } from './route.js';

const now = Date.now();
const day = 24 * 3600 * 1000;
const validity = { notBefore: new Date(now - day), notAfter: new Date(now + 365 * day) };
const serial = () => serialNumberFromRandom(new Uint8Array(randomBytes(16)));
const keys = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keyPem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const pem = (certificate: RspCertificate) => toPem(certificate.der, 'CERTIFICATE');

/**
 * A client certificate of `issuer` whose EC key is SEC 1's point at infinity (the single octet 00; SEC 1 v2
 * §2.3.3), validly signed. Its private key is d = 0, which OpenSSL 3.0 loads and signs CertificateVerify with, and
 * ECDSA verifies that signature against the infinity key (the Q term vanishes): the handshake completes for
 * whoever holds a copy of the certificate. pki's issuers take a KeyObject, which such a key cannot be exported
 * from, so the certificate is re-signed here.
 */
function atInfinity(issuer: IssuingCa, issuerKey: KeyObject, commonName: string): { cert: string; key: string } {
  const { tbsCertificate, signatureAlgorithm } = Certificate.decode(client(issuer, commonName).certificate.der);
  const tbs = TBSCertificate.encode({ ...tbsCertificate, subjectPublicKeyInfo: { ...tbsCertificate.subjectPublicKeyInfo, subjectPublicKey: { bytes: Uint8Array.of(0x00), unusedBits: 0 } } });
  const signature = { bytes: new Uint8Array(sign('sha256', tbs, issuerKey)), unusedBits: 0 };
  const certificate = Certificate.encode({ tbsCertificate: TBSCertificate.decode(tbs), signatureAlgorithm, signature });
  // RFC 5915 ECPrivateKey { version 1, privateKey 32 zero octets, [0] prime256v1, [1] the public key 00 }.
  const ecPrivateKey = Buffer.from(`30370201010420${'00'.repeat(32)}a00a06082a8648ce3d030107a10403020000`, 'hex');
  return { cert: toPem(certificate, 'CERTIFICATE'), key: toPem(new Uint8Array(ecPrivateKey), 'EC PRIVATE KEY') };
}

const caKeys = new Map<string, KeyObject>();
function ca(commonName: string): IssuingCa {
  const pair = keys();
  caKeys.set(commonName, pair.privateKey);
  const signer = createKeyObjectSigner(pair.privateKey, pair.publicKey);
  return { certificate: issueCiCertificate({ ...validity, serialNumber: serial(), signer, subject: [{ type: 'CN', value: commonName }] }), signer };
}

interface Credential {
  certificate: RspCertificate;
  key: KeyObject;
}

function client(issuer: IssuingCa, commonName: string, period = validity): Credential {
  const pair = keys();
  return { certificate: issueClientCertificate({ ...period, serialNumber: serial(), ci: issuer, publicKey: pair.publicKey, organization: 'zkesim', commonName }), key: pair.privateKey };
}

const ci = ca('Test CI');
const pinCa = ca('Pinned client CA');
const strangerCa = ca('Stranger CA');
const known = client(ci, 'SM-DP+ A');
const wrongName = client(ci, 'SM-DP+ B');
const expired = client(ci, 'SM-DP+ A', { notBefore: new Date(now - 30 * day), notAfter: new Date(now - day) });
const pinned = client(pinCa, 'pinned');
const unpinned = client(pinCa, 'not pinned');
const stranger = client(strangerCa, 'SM-DP+ A');
const serverKeys = keys();
const serverCertificate = issueDsTlsCertificate({
  ...validity, serialNumber: serial(), ci, publicKey: serverKeys.publicKey, organization: 'zkesim', commonName: 'server', registeredId: '2.999.20', ipAddresses: ['127.0.0.1'],
});

interface Peer {
  name: string;
}

const trusts: ClientTrust<Peer>[] = [
  { identity: { name: 'A' }, caCertificate: pem(ci.certificate), commonName: 'SM-DP+ A' },
  { identity: { name: 'pinned' }, pinnedFingerprints: [new X509Certificate(pinned.certificate.der).fingerprint256], pinnedIssuers: [pinCa.certificate.der] },
];

type Outcome = { status: number; body: string } | { refused: string };

const route: HttpRoute<Peer> = { interface: 'es12', function: 'whoAmI', requiresClient: true, handle: async (input) => ({ status: 200, body: JSON.stringify(input.client) }) };

function start(clientTrusts: readonly ClientTrust<Peer>[]) {
  return startHttpsServer<Peer>({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: pem(serverCertificate), key: keyPem(serverKeys.privateKey), minVersion: 'TLSv1.2' },
    clientCertificates: { trusts: clientTrusts, clock: { now: () => Date.now() } },
    listener: {
      routes: new Map([['/whoami', route]]),
      maxBodyBytes: 1024,
      concurrency: new ConcurrencyLimit(4),
      metrics: createServerMetrics({ prefix: 'mtls', defaultMetrics: false, sessionsHelp: 'sessions', outboxHelp: 'outbox' }),
      logger: silentLogger,
    },
  });
}

// Without a certificate OpenSSL aborts the handshake with an alert (TLS 1.3: certificate_required; TLS 1.2:
// handshake failure, EPROTO). A certificate OpenSSL could not verify makes Node's TLS server destroy the socket as
// the handshake ends, before any HTTP byte (the client sees a reset). Either way: no HTTP answer.
const refused = { refused: expect.stringMatching(/^(ERR_SSL_|EPROTO|ECONNRESET|EPIPE)/) as unknown as string };

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('a mutually authenticated port over %s', (version) => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await start(trusts));
  });
  afterAll(() => closeServer(server));
  it('refuses the handshake of a client without a certificate: no HTTP answer', async () => {
    expect(await callWith(url, version)).toEqual(refused);
  });

  it('refuses the handshake of a certificate from a CA that is not configured', async () => {
    expect(await callWith(url, version, stranger)).toEqual(refused);
  });

  it('refuses the handshake of an expired certificate of a configured CA', async () => {
    expect(await callWith(url, version, expired)).toEqual(refused);
  });

  it('completes the handshake for a certificate of a configured CA that is not a configured client, then answers HTTP 403', async () => {
    expect(await callWith(url, version, wrongName)).toMatchObject({ status: 403 });
    expect(await callWith(url, version, unpinned)).toMatchObject({ status: 403 });
  });

  it('answers HTTP 403 to a certificate of a configured CA and client name whose key is the point at infinity, and goes on serving', async () => {
    const infinity = atInfinity(ci, caKeys.get('Test CI') as KeyObject, 'SM-DP+ A');
    expect(await callWith(url, version, infinity)).toMatchObject({ status: 403 });
    expect(await callWith(url, version, known)).toEqual({ status: 200, body: JSON.stringify({ name: 'A' }) });
  });

  it('serves the configured clients, chained and pinned', async () => {
    expect(await callWith(url, version, known)).toEqual({ status: 200, body: JSON.stringify({ name: 'A' }) });
    expect(await callWith(url, version, pinned)).toEqual({ status: 200, body: JSON.stringify({ name: 'pinned' }) });
  });
});

/** One POST from a client limited to one TLS version; a refused handshake is the client's socket error (a TLS alert or a reset), with no HTTP response. */
function callWith(url: string, version: 'TLSv1.2' | 'TLSv1.3', credential?: Credential | { cert: string; key: string }): Promise<Outcome> {
  const pems = credential === undefined ? undefined : 'cert' in credential ? credential : { cert: pem(credential.certificate), key: keyPem(credential.key) };
  return new Promise((resolve) => {
    const req = request(
      `${url}/whoami`,
      {
        method: 'POST',
        ca: pem(ci.certificate),
        agent: false,
        minVersion: version,
        maxVersion: version,
        ...(pems ?? {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ refused: error.code ?? error.message }));
    req.end('{}');
  });
}

describe('a mutually authenticated port needs trust anchors OpenSSL can chain to', () => {
  it('refuses to start without any CA', async () => {
    await expect(start([])).rejects.toThrow(/no CA certificate to verify client certificates against/);
  });

  it('refuses to start with a pinned certificate whose issuer is not given', async () => {
    await expect(start([trusts[0] as ClientTrust<Peer>, { identity: { name: 'pinned' }, pinnedFingerprints: ['AA'] }])).rejects.toThrow(/pinnedIssuers/);
  });
});
