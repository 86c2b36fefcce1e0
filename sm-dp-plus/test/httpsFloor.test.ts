// The floors of the load bench (testing/src/smdp/httpsFloor.ts, tlsSocketFloor.ts): the floor server answers the
// recorded calls with their sizes, statuses and the SM-DP+'s headers, only once the whole request body is in,
// with the ES9+ endpoint's TLS settings; the TLS socket floor answers the very same bytes without Node's HTTP
// module; and a short load run measures the floors' CPU, below the SM-DP+'s.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminProtocolHeader, adminProtocolVersion, jsonContentType } from '@zkesim/protocol';
import { post } from '@zkesim/testing/smdp/https';
import { startFloorServer } from '@zkesim/testing/smdp/httpsFloor';
import { runLoad } from '@zkesim/testing/smdp/load';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, smdpHost, type TestPki } from '@zkesim/testing/smdp/testPki';
import { messageEnd } from '@zkesim/testing/smdp/tlsSocketFloor';
import { es9Path, type WireCall } from '@zkesim/testing/smdp/wire';

const calls: WireCall[] = [
  { fn: 'initiateAuthentication', calls: 1, requestBytes: 181, responseBytes: 1207, status: 200 },
  { fn: 'authenticateClient', calls: 1, requestBytes: 2041, responseBytes: 3, status: 200 },
  { fn: 'handleNotification', calls: 1, requestBytes: 266, responseBytes: 0, status: 204 },
];

describe('HTTPS floor server', () => {
  let pki: TestPki;
  let floors: Awaited<ReturnType<typeof startFloorServer>>[];
  beforeAll(async () => {
    pki = createTestPki();
    const config = testConfig(pki, (c) => c.es9.push({ port: 0, tlsCertificate: pki.dpTlsBrainpoolCert, tlsKey: pki.dpTlsBrainpoolKey }));
    floors = [
      await startFloorServer(config, 0, calls),
      await startFloorServer(config, 1, calls),
      await startFloorServer(config, 0, calls, 'http'),
      await startFloorServer(config, 0, calls, 'tls'),
      await startFloorServer(config, 1, calls, 'tls'),
    ];
  });
  afterAll(async () => {
    await Promise.all(floors.map((floor) => floor.close()));
    pki.cleanup();
  });
  const url = (endpoint: number): string => floors[endpoint]?.url ?? '';

  it('answers each recorded call with its status and body size, with the headers of the SM-DP+, and 404 elsewhere', async () => {
    for (const call of calls) {
      const answer = await post(`${url(0)}/gsma/rsp2/es9plus/${call.fn}`, 'x'.repeat(call.requestBytes), { ca: pki.ciNist });
      expect(answer.status, call.fn).toBe(call.status);
      expect(answer.bytes.length, call.fn).toBe(call.responseBytes);
      expect(answer.headers[adminProtocolHeader.toLowerCase()], call.fn).toBe(adminProtocolVersion);
      if (call.status === 200) {
        expect(answer.headers['content-type'], call.fn).toBe(jsonContentType);
        expect(() => answer.json(), call.fn).not.toThrow();
      }
    }
    expect((await post(`${url(0)}/gsma/rsp2/es9plus/getBoundProfilePackage`, '{}', { ca: pki.ciNist })).status).toBe(404);
    const brainpool = await post(`${url(1)}/gsma/rsp2/es9plus/authenticateClient`, '{}', { ca: pki.ciBrainpool, brainpool: true });
    expect([brainpool.status, brainpool.bytes.length]).toEqual([200, 3]);
    // The plain-TCP floor: the same answers over HTTP/1.1 without TLS.
    expect(url(2)).toMatch(/^http:\/\//);
    const plain = await post(`${url(2)}/gsma/rsp2/es9plus/initiateAuthentication`, '{}', { ca: pki.ciNist });
    expect([plain.status, plain.bytes.length, plain.headers[adminProtocolHeader.toLowerCase()]]).toEqual([200, 1207, adminProtocolVersion]);
  });

  it.each([
    ['node:https', 0],
    ['the TLS socket floor', 3],
  ])('answers only once the whole request body has arrived (%s)', async (_, endpoint) => {
    const answered: string[] = [];
    const done = new Promise<number>((resolve, reject) => {
      const req = request(`${url(endpoint)}/gsma/rsp2/es9plus/initiateAuthentication`, { method: 'POST', ca: readFileSync(pki.ciNist), servername: smdpHost, headers: { 'Content-Length': '181' } }, (response) => {
        answered.push('answer');
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write('x'.repeat(100));
      setTimeout(() => {
        answered.push('rest of the body');
        req.end('x'.repeat(81));
      }, 300);
    });
    expect(await done).toBe(200);
    expect(answered).toEqual(['rest of the body', 'answer']);
  });

  it.each([
    ['node:https', 0, 1],
    ['the TLS socket floor', 3, 4],
  ])('serves each endpoint with its certificate and TLS settings (brainpool: TLS 1.2, SGP.22 §2.6.6 suite; %s)', async (_, nistFloor, brainpoolFloor) => {
    const handshake = (endpoint: number, ca: string, brainpool: boolean) =>
      new Promise<{ protocol: string | null; cipher: string; certificate: Buffer }>((resolve, reject) => {
        const { port } = new URL(url(endpoint));
        const socket = connect({ host: '127.0.0.1', port: Number(port), ca: readFileSync(ca), servername: smdpHost, ...(brainpool ? { ecdhCurve: 'prime256v1:brainpoolP256r1', maxVersion: 'TLSv1.2' as const } : {}) }, () => {
          resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name, certificate: socket.getPeerCertificate().raw });
          socket.end();
        });
        socket.on('error', reject);
      });
    const nist = await handshake(nistFloor, pki.ciNist, false);
    expect(nist.certificate.equals(new X509Certificate(readFileSync(pki.dpTlsCert)).raw)).toBe(true);
    expect(nist.protocol).toBe('TLSv1.3');
    const brainpool = await handshake(brainpoolFloor, pki.ciBrainpool, true);
    expect(brainpool.certificate.equals(new X509Certificate(readFileSync(pki.dpTlsBrainpoolCert)).raw)).toBe(true);
    expect([brainpool.protocol, brainpool.cipher]).toEqual(['TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256']);
  });
});

describe('TLS socket floor', () => {
  let pki: TestPki;
  let floors: Awaited<ReturnType<typeof startFloorServer>>[];
  beforeAll(async () => {
    pki = createTestPki();
    const config = testConfig(pki);
    floors = [await startFloorServer(config, 0, calls), await startFloorServer(config, 0, calls, 'tls')];
  });
  afterAll(async () => {
    await Promise.all(floors.map((floor) => floor.close()));
    pki.cleanup();
  });
  /**
   * One TLS connection to floor `index`: sends `writes` 5 ms apart and collects what comes back until `answers`
   * whole responses are in (framed as the floor frames messages) or the floor closes the connection.
   */
  const exchange = (index: number, writes: readonly (string | Buffer)[], answers: number) =>
    new Promise<{ bytes: Buffer; closed: boolean }>((resolve, reject) => {
      const { port } = new URL(floors[index]?.url ?? '');
      let bytes = Buffer.alloc(0);
      const settle = (closed: boolean) => {
        socket.destroy();
        resolve({ bytes, closed });
      };
      const complete = (): boolean => {
        let rest = bytes;
        for (let n = 0; n < answers; n += 1) {
          const end = messageEnd(rest);
          if (end === undefined) return false;
          rest = rest.subarray(end);
        }
        return true;
      };
      const socket = connect({ host: '127.0.0.1', port: Number(port), ca: readFileSync(pki.ciNist), servername: smdpHost }, async () => {
        for (const write of writes) {
          if (socket.destroyed) return;
          socket.write(write);
          await new Promise((pause) => setTimeout(pause, 5));
        }
      });
      socket.on('data', (chunk: Buffer) => {
        bytes = Buffer.concat([bytes, chunk]);
        if (complete()) settle(false);
      });
      socket.on('end', () => settle(true));
      socket.on('close', () => settle(true));
      socket.on('error', reject);
    });
  const requestOf = (fn: string, body: string, extra = '') => `POST ${es9Path(fn)} HTTP/1.1\r\nHost: ${smdpHost}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  /** A response's bytes without its Date line (the two floors answer at different seconds). */
  const withoutDate = (bytes: Buffer) => bytes.toString('latin1').replace(/\r\nDate: [^\r]*/g, '');

  it('answers every recorded call, and 404 elsewhere, with the very bytes node:https answers them with', async () => {
    for (const fn of [...calls.map((call) => call.fn), 'getBoundProfilePackage']) {
      const request = requestOf(fn, 'x'.repeat(50));
      const [https, tls] = [await exchange(0, [request], 1), await exchange(1, [request], 1)];
      expect(withoutDate(tls.bytes), fn).toBe(withoutDate(https.bytes));
      expect(tls.bytes.toString('latin1'), fn).toMatch(/^HTTP\/1\.1 (200|204|404) /);
      expect(tls.closed, fn).toBe(false);
    }
  });

  it('frames requests sent together in one write and requests split into single bytes, and answers them in order', async () => {
    const first = requestOf('initiateAuthentication', '{}');
    const second = requestOf('handleNotification', 'y'.repeat(300));
    const together = await exchange(1, [first + second], 2);
    const separately = await exchange(0, [first, second], 2);
    expect(withoutDate(together.bytes)).toBe(withoutDate(separately.bytes));
    const split = await exchange(1, [...Buffer.from(first + second)].map((byte) => Buffer.from([byte])), 2);
    expect(withoutDate(split.bytes)).toBe(withoutDate(separately.bytes));
    expect(withoutDate(split.bytes).match(/HTTP\/1\.1 /g)).toHaveLength(2);
  });

  it('closes a connection whose request it cannot frame, without an answer', async () => {
    const chunked = `POST ${es9Path('initiateAuthentication')} HTTP/1.1\r\nHost: ${smdpHost}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`;
    for (const request of [chunked, requestOf('initiateAuthentication', '{}').replace('Content-Length: 2', 'Content-Length: 2x')]) {
      const answer = await exchange(1, [request], 1);
      expect([answer.bytes.length, answer.closed]).toEqual([0, true]);
    }
  });

  it('reads where a message ends from its head and Content-Length only', () => {
    const head = 'POST /x HTTP/1.1\r\nHost: h\r\ncontent-LENGTH: 3\r\n\r\n';
    expect(messageEnd(Buffer.from(head.slice(0, -2)))).toBeUndefined();
    expect(messageEnd(Buffer.from(`${head}ab`))).toBeUndefined();
    expect(messageEnd(Buffer.from(`${head}abcPOST`))).toBe(head.length + 3);
    const noContent = 'HTTP/1.1 204 No Content\r\nX: y\r\n\r\n';
    expect(messageEnd(Buffer.from(`${noContent}HTTP`))).toBe(noContent.length);
    expect(() => messageEnd(Buffer.from('POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'))).toThrow(/Transfer-Encoding/);
    expect(() => messageEnd(Buffer.from('POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n'))).toThrow(/Content-Length/);
  });
});

describe('HTTPS floor in a load run', () => {
  it('records the calls of the timed downloads, answers them at those sizes, and measures the floor below the SM-DP+', { timeout: 90_000 }, async () => {
    const load = await runLoad({ downloads: 20, concurrency: 2, warmupDownloads: 0, floor: true, tlsSocketFloor: true });
    expect(load.errors).toEqual([]);
    expect(load.wire.map((call) => [call.fn, call.calls, call.status])).toEqual([
      ['initiateAuthentication', 20, 200],
      ['authenticateClient', 20, 200],
      ['getBoundProfilePackage', 20, 200],
      ['handleNotification', 20, 204],
    ]);
    // The BPP of the TS.48 profile is the largest answer; HandleNotification answers 204 without a body.
    expect(load.wire[2]?.responseBytes).toBeGreaterThan(10_000);
    expect(load.wire[3]?.responseBytes).toBe(0);
    for (const call of load.wire) expect(call.requestBytes, call.fn).toBeGreaterThan(100);
    const floor = load.floor;
    if (floor === undefined) throw new Error('no floor measured');
    expect(floor.errors).toEqual([]);
    expect(floor.downloads).toBe(20);
    // The floor's clients sent and got exactly the recorded sizes and statuses (a different answer is an error).
    expect(floor.wire).toEqual(load.wire);
    expect(floor.cpuMs).toBeGreaterThan(0);
    expect(floor.cpuMs).toBeLessThan(load.serverCpuMs);
    // Keep-alive as for the SM-DP+: one connection per timed client.
    expect(floor.connections).toBe(2);
    // The TLS socket floor served the same downloads at the same sizes on as many connections, for less CPU.
    const tlsSocket = load.tlsSocketFloor;
    if (tlsSocket === undefined) throw new Error('no TLS socket floor measured');
    expect(tlsSocket.errors).toEqual([]);
    expect([tlsSocket.downloads, tlsSocket.connections]).toEqual([20, 2]);
    expect(tlsSocket.wire).toEqual(load.wire);
    expect(tlsSocket.cpuMs).toBeGreaterThanOrEqual(0);
    expect(tlsSocket.cpuMs).toBeLessThan(load.serverCpuMs);
  });
});
