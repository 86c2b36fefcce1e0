// The connection limits of startHttpsServer on real TLS sockets over the loopback, each configured short so
// the test waits fractions of a second: the TLS handshake, header and body timeouts as configured, idle
// keep-alive closed, connection caps in total and per address, and a stop that does not wait for idle or
// pre-handshake sockets. Also the HTTP answers of the request listener: 405 with Allow, 404.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request, type Agent } from 'node:https';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyObjectSigner, issueCiCertificate, issueDsTlsCertificate, serialNumberFromRandom, toPem } from '@zkesim/pki';
import { RemoteProfileProvisioningRequest, silentLogger } from '@zkesim/protocol';
import { asn1BindingRoute, asn1ContentType } from './asn1Binding.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { adminEndpoints } from './adminEndpoints.js';
import { closeServer, startHttpsServer, type ConnectionLimits } from './listen.js';
import { createServerMetrics } from './metrics.js';
import type { HttpRoute } from './route.js';

const now = Date.now();
const validity = { notBefore: new Date(now - 1000), notAfter: new Date(now + 24 * 3600 * 1000) };
const serial = () => serialNumberFromRandom(new Uint8Array(randomBytes(16)));
const ciKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ci = {
  signer: createKeyObjectSigner(ciKeys.privateKey, ciKeys.publicKey),
  certificate: issueCiCertificate({
    ...validity, serialNumber: serial(), signer: createKeyObjectSigner(ciKeys.privateKey, ciKeys.publicKey), subject: [{ type: 'CN', value: 'Test CI' }],
  }),
};
const tlsKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const tlsCertificate = issueDsTlsCertificate({
  ...validity, serialNumber: serial(), ci, publicKey: tlsKeys.publicKey, organization: 'zkesim', commonName: 'server', registeredId: '2.999.20',
  ipAddresses: ['127.0.0.1'],
});
const ca = toPem(ci.certificate.der, 'CERTIFICATE');

const echo: HttpRoute = { interface: 'test', function: 'echo', requiresClient: false, handle: async (input) => ({ status: 200, body: input.body }) };
const unicodeText = 'prêt ✓ 日本 🙂\n';
const text: HttpRoute = { interface: 'test', function: 'text', requiresClient: false, handle: async () => ({ status: 200, body: unicodeText, contentType: 'text/plain' }) };

const started: Array<Parameters<typeof closeServer>[0]> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(closeServer));
});

async function start(connections: Partial<ConnectionLimits> = {}) {
  const metrics = createServerMetrics({ prefix: 'test', defaultMetrics: false, sessionsHelp: 'sessions', outboxHelp: 'outbox' });
  const { server, url } = await startHttpsServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: toPem(tlsCertificate.der, 'CERTIFICATE'), key: tlsKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() },
    connections,
    listener: {
      routes: new Map<string, HttpRoute>([
        ['/echo', echo],
        ['/text', text],
        [
          '/gsma/rsp2/asn1',
          asn1BindingRoute({
            initiateAuthenticationRequest: async () => {
              throw new TypeError('a bug');
            },
          }),
        ],
      ]),
      maxBodyBytes: 1024,
      concurrency: new ConcurrencyLimit(16),
      metrics,
      logger: silentLogger,
      getEndpoints: adminEndpoints({ health: async () => ({}) }),
    },
  });
  started.push(server);
  return { server, url, port: Number(new URL(url).port), metrics };
}

/** Milliseconds until the peer closes `socket` (or `limitMs`, reported as Infinity). */
function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Infinity);
    }, limitMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
  });
}

/** A TLS connection from `localAddress` (any of 127.0.0.0/8 reaches the loopback on Linux). */
async function tls(port: number, localAddress = '127.0.0.1'): Promise<TLSSocket> {
  const raw = await tcp(port, localAddress);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ socket: raw, host: '127.0.0.1', ca }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function tcp(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function call(url: string, method: string, body?: string | Buffer, agent?: Agent): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, ...(agent === undefined ? {} : { agent }) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('connection limits of an HTTPS server', () => {
  it('closes a TCP connection that never completes the TLS handshake after the handshake timeout', async () => {
    const { port } = await start({ handshakeTimeoutMs: 300 });
    const silent = await tcp(port);
    // A client that sends a ClientHello byte by byte keeps no connection longer: the timeout is absolute.
    const trickling = await tcp(port);
    trickling.write(Buffer.of(0x16));
    const trickle = setInterval(() => trickling.write(Buffer.of(0x03)), 100);
    const [silentMs, tricklingMs] = await Promise.all([closedWithin(silent, 3000), closedWithin(trickling, 3000)]);
    clearInterval(trickle);
    expect(silentMs).toBeLessThan(1500);
    expect(tricklingMs).toBeLessThan(1500);
  });

  it('enforces the header and body timeouts as configured', async () => {
    const { port } = await start({ headersTimeoutMs: 400, requestTimeoutMs: 800 });
    const slowHeaders = await tls(port);
    slowHeaders.write('POST /echo HTTP/1.1\r\nHost: x\r\n');
    const slowBody = await tls(port);
    slowBody.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n');
    const drip = setInterval(() => {
      slowHeaders.write('X-A: b\r\n');
      slowBody.write('a');
    }, 100);
    const [headersMs, bodyMs] = await Promise.all([closedWithin(slowHeaders, 4000), closedWithin(slowBody, 4000)]);
    clearInterval(drip);
    expect(headersMs).toBeLessThan(1400);
    expect(bodyMs).toBeLessThan(1800);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { port } = await start({ keepAliveTimeoutMs: 300 });
    const socket = await tls(port);
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi');
    await new Promise((resolve) => socket.once('data', resolve));
    // Node gives a kept-alive socket up to 1 s beyond keepAliveTimeout before it closes it (its own buffer
    // against races with clients); its default of 5 s would not close it within this bound.
    expect(await closedWithin(socket, 4000)).toBeLessThan(2500);
  });

  it('caps connections in total and per address, counting what it refuses', async () => {
    const { port, url, metrics } = await start({ maxConnections: 4, maxConnectionsPerAddress: 2 });
    const first = await Promise.all([tls(port, '127.0.0.1'), tls(port, '127.0.0.1')]);
    // A third connection from the same address is closed at once; another address still gets in.
    expect(await closedWithin(await tcp(port, '127.0.0.1'), 2000)).toBeLessThan(500);
    const others = await Promise.all([tls(port, '127.0.0.2'), tls(port, '127.0.0.3')]);
    // The server is full: a fifth connection, from a fresh address, is closed at once.
    expect(await closedWithin(await tcp(port, '127.0.0.4'), 2000)).toBeLessThan(500);
    for (const socket of [...first, ...others]) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await call(`${url}/echo`, 'POST', 'ok')).body).toBe('ok');
    const text = await metrics.registry.metrics();
    expect(text).toContain('test_http_rejections_total{reason="connections-per-address"} 1');
    expect(text).toContain('test_http_rejections_total{reason="connections"} 1');
  });

  it('stops within a second with idle, pre-handshake and half-sent connections open', async () => {
    const { server, port } = await start();
    const sockets = [
      ...(await Promise.all(Array.from({ length: 20 }, () => tcp(port)))),
      ...(await Promise.all(Array.from({ length: 5 }, () => tls(port)))),
    ];
    (sockets[sockets.length - 1] as Socket).write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n');
    for (const socket of sockets) socket.on('error', () => undefined);
    const t0 = performance.now();
    await closeServer(server);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('HTTP answers of the request listener', () => {
  it('answers a method a path does not serve with 405 and Allow, and an unknown path with 404', async () => {
    const { url } = await start();
    const get = await call(`${url}/echo`, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.body).toBe('method not allowed\n');
    const put = await call(`${url}/echo`, 'PUT', 'x');
    expect([put.status, put.headers.allow]).toEqual([405, 'POST']);
    const postHealth = await call(`${url}/healthz`, 'POST', '{}');
    expect([postHealth.status, postHealth.headers.allow]).toEqual([405, 'GET, HEAD']);
    const missing = await call(`${url}/nothing`, 'GET');
    expect([missing.status, missing.body]).toEqual([404, 'not found\n']);
    expect((await call(`${url}/nothing`, 'POST', 'x')).status).toBe(404);
  });

  it('sends each body in one piece with its Content-Length (UTF-8 text, bytes) and counts the call by function and status', async () => {
    const { url, metrics } = await start();
    const answered = await call(`${url}/text`, 'POST', '{}');
    expect(answered.body).toBe(unicodeText);
    expect(answered.headers['content-length']).toBe(String(Buffer.byteLength(unicodeText, 'utf8')));
    expect(answered.headers['transfer-encoding']).toBeUndefined();
    expect([answered.headers['content-type'], answered.headers['x-admin-protocol']]).toEqual(['text/plain', 'gsma/rsp/v2.2.0']);
    // A body sent in pieces comes back byte for byte: readBody assembles the chunks.
    const sent = Buffer.from(Array.from({ length: 1000 }, (_, i) => 0x41 + (i % 26)));
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const req = request(`${url}/echo`, { method: 'POST', ca }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      for (let at = 0; at < sent.length; at += 300) req.write(sent.subarray(at, at + 300));
      req.end();
    });
    expect(echoed.equals(sent)).toBe(true);
    const histogram = await metrics.functionSeconds.get();
    const counts = histogram.values.filter((value) => value.metricName === 'test_function_duration_seconds_count').map((value) => [value.labels.function, value.labels.status, value.value]);
    expect(counts).toEqual(expect.arrayContaining([['text', 'Executed-Success', 1], ['echo', 'Executed-Success', 1]]));
  });

  it('answers a request of the ASN.1 binding it cannot decode, or that fails, in the binding\'s content type', async () => {
    const { url } = await start();
    const garbage = await call(`${url}/gsma/rsp2/asn1`, 'POST', 'not DER');
    expect(garbage.status).toBe(400);
    expect(garbage.headers['content-type']).toBe(asn1ContentType);
    expect(garbage.body).toBe('');
    // A request this server does not serve, and one whose handler crashes.
    const request = (alternative: object) => Buffer.from(RemoteProfileProvisioningRequest.encode(alternative as RemoteProfileProvisioningRequest));
    const unserved = await call(`${url}/gsma/rsp2/asn1`, 'POST', request({ cancelSessionRequestEs9: { transactionId: new Uint8Array(16), cancelSessionResponse: { cancelSessionResponseError: 1 } } }));
    expect([unserved.status, unserved.headers['content-type']]).toEqual([400, asn1ContentType]);
    const crashed = await call(`${url}/gsma/rsp2/asn1`, 'POST', request({
      initiateAuthenticationRequest: {
        euiccChallenge: new Uint8Array(16).fill(7),
        smdpAddress: 'smdp.example',
        euiccInfo1: { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [new Uint8Array(20)], euiccCiPKIdListForSigning: [] },
      },
    }));
    expect([crashed.status, crashed.headers['content-type'], crashed.body]).toEqual([500, asn1ContentType, '']);
  });
});
