// The SM-DP+'s listeners under idle and silent connections (issue #13): the configured connection limits
// reach every listener (ES9+, ES2+, admin), and a SIGINT stops the process within seconds even with
// connections open that never sent a ClientHello. Real sockets on the loopback, a real process for the stop.
import { writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from '@zkesim/testing/smdp/harness';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, smdpHost } from '@zkesim/testing/smdp/testPki';
import { startBackground, type Background } from '@zkesim/testing/stack/processes';
import { readFileSync } from 'node:fs';

const repository = fileURLToPath(new URL('../../', import.meta.url));
let running: Background | undefined;
afterAll(async () => {
  await running?.interrupt(2_000);
});

function tcp(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Milliseconds until the peer closes `socket` (Infinity when it is still open after `limitMs`). */
function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Infinity), limitMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
  });
}

describe('SM-DP+ connections', () => {
  it('applies the configured connection limits on the ES9+, ES2+ and admin listeners', async () => {
    const h = await startHarness((config) => {
      config.connections = { ...config.connections, handshakeTimeoutMs: 300, maxConnectionsPerAddress: 3 };
    }, 1);
    try {
      const silent = await Promise.all([tcp(h.smdp.es9Url), tcp(h.smdp.es2Url)]);
      const closed = await Promise.all(silent.map((socket) => closedWithin(socket, 3000)));
      expect(closed.every((ms) => ms < 1500)).toBe(true);
      const admin = h.smdp.adminUrl ?? '';
      const held = await Promise.all([tcp(admin), tcp(admin), tcp(admin)]);
      expect(await closedWithin(await tcp(admin), 2000)).toBeLessThan(500);
      for (const socket of held) socket.destroy();
    } finally {
      await h.close();
    }
  });

  it('stops on SIGINT within seconds with silent, idle and half-sent connections open on every listener', { timeout: 90_000 }, async () => {
    const pki = createTestPki();
    try {
      const configFile = join(pki.dir, 'smdp.json');
      writeFileSync(configFile, JSON.stringify(testConfig(pki)));
      running = startBackground(`node bin/run-ts.js testing/src/smdp/smdpProcess.ts ${configFile}`, { cwd: repository, env: process.env });
      await running.waitFor('ready ', 60_000);
      const urls = JSON.parse(/ready (\{.*\})/.exec(running.output())?.[1] ?? '{}') as { es9Url: string; es2Url: string; adminUrl: string };
      const sockets: Socket[] = [];
      for (const url of [urls.es9Url, urls.es2Url, urls.adminUrl]) sockets.push(...(await Promise.all(Array.from({ length: 20 }, () => tcp(url)))));
      // An idle TLS connection and one with half a request sent.
      const { port } = new URL(urls.es9Url);
      for (const partial of [false, true]) {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const tls = tlsConnect({ host: '127.0.0.1', port: Number(port), servername: smdpHost, ca: readFileSync(pki.ciNist) }, () => resolve(tls));
          tls.on('error', reject);
        });
        if (partial) socket.write('POST /gsma/rsp2/es9plus/initiateAuthentication HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{');
        sockets.push(socket);
      }
      for (const socket of sockets) socket.on('error', () => undefined);
      const t0 = performance.now();
      const ended = await running.interrupt(15_000);
      const stopMs = performance.now() - t0;
      running = undefined;
      expect(ended).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(5_000);
      for (const socket of sockets) socket.destroy();
    } finally {
      pki.cleanup();
    }
  });
});
