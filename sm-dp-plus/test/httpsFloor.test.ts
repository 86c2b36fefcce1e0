// The HTTPS floor of the load bench (testing/src/smdp/httpsFloor.ts): the floor server answers the recorded
// calls with their sizes, statuses and the SM-DP+'s headers, only once the whole request body is in, with the
// ES9+ endpoint's TLS settings; and a short load run measures the floor's CPU, below the SM-DP+'s.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminProtocolHeader, adminProtocolVersion, jsonContentType } from '@zkesim/protocol';
import { closeServer } from '@zkesim/rsp-server';
import { post } from '@zkesim/testing/smdp/https';
import { startFloorServer } from '@zkesim/testing/smdp/httpsFloor';
import { runLoad } from '@zkesim/testing/smdp/load';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, smdpHost, type TestPki } from '@zkesim/testing/smdp/testPki';
import type { WireCall } from '@zkesim/testing/smdp/wire';

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
    floors = [await startFloorServer(config, 0, calls), await startFloorServer(config, 1, calls), await startFloorServer(config, 0, calls, true)];
  });
  afterAll(async () => {
    await Promise.all(floors.map(({ server }) => closeServer(server)));
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

  it('answers only once the whole request body has arrived', async () => {
    const answered: string[] = [];
    const done = new Promise<number>((resolve, reject) => {
      const req = request(`${url(0)}/gsma/rsp2/es9plus/initiateAuthentication`, { method: 'POST', ca: readFileSync(pki.ciNist), servername: smdpHost, headers: { 'Content-Length': '181' } }, (response) => {
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

  it('serves each endpoint with its certificate and TLS settings (brainpool: TLS 1.2, SGP.22 §2.6.6 suite)', async () => {
    const handshake = (endpoint: number, ca: string, brainpool: boolean) =>
      new Promise<{ protocol: string | null; cipher: string; certificate: Buffer }>((resolve, reject) => {
        const { port } = new URL(url(endpoint));
        const socket = connect({ host: '127.0.0.1', port: Number(port), ca: readFileSync(ca), servername: smdpHost, ...(brainpool ? { ecdhCurve: 'prime256v1:brainpoolP256r1', maxVersion: 'TLSv1.2' as const } : {}) }, () => {
          resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name, certificate: socket.getPeerCertificate().raw });
          socket.end();
        });
        socket.on('error', reject);
      });
    const nist = await handshake(0, pki.ciNist, false);
    expect(nist.certificate.equals(new X509Certificate(readFileSync(pki.dpTlsCert)).raw)).toBe(true);
    expect(nist.protocol).toBe('TLSv1.3');
    const brainpool = await handshake(1, pki.ciBrainpool, true);
    expect(brainpool.certificate.equals(new X509Certificate(readFileSync(pki.dpTlsBrainpoolCert)).raw)).toBe(true);
    expect([brainpool.protocol, brainpool.cipher]).toEqual(['TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256']);
  });
});

describe('HTTPS floor in a load run', () => {
  it('records the calls of the timed downloads, answers them at those sizes, and measures the floor below the SM-DP+', { timeout: 90_000 }, async () => {
    const load = await runLoad({ downloads: 20, concurrency: 2, warmupDownloads: 0, floor: true });
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
  });
});
