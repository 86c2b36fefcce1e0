// A server that hangs, answers garbage or drops connections gives fail or inconclusive with the reason,
// never a crash of the runner and never a pass; every case ends within its timeout.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmdpConformance, sgp26IdentityFiles, type CaseResult } from '../src/index.js';
import { createTestPki, sgp26, smdpHost, type TestPki } from '@zkesim/testing/smdp/testPki';

let pki: TestPki;
const servers: Server[] = [];
const sockets = new Set<Duplex>();

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer({ cert: readFileSync(pki.dpTlsCert), key: readFileSync(pki.dpTlsKey) }, handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function run(port: number): Promise<CaseResult[]> {
  return runSmdpConformance({
    url: `https://${smdpHost}:${port}`,
    smdpAddress: smdpHost,
    ciFile: pki.ciNist,
    identity: sgp26IdentityFiles(sgp26('')),
    fixtures: [{ kind: 'released', matchingId: 'ANY' }],
    resolve: { [smdpHost]: '127.0.0.1' },
    only: 'ES9+.InitiateAuthentication.nominal.transactionId,ES9+.AuthenticateClient.nominal.transactionId,ES9+.HandleNotification.binding.notJson',
    requestTimeoutMs: 400,
    defaultTimeoutMs: 3000,
  });
}

const summary = (results: CaseResult[]) => results.map((result) => `${result.verdict}: ${result.reason}`);

beforeAll(() => {
  pki = createTestPki();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  pki.cleanup();
});

describe('the runner against broken servers', () => {
  it('a server that never answers: fail with "no answer … within 400 ms", preconditions inconclusive', async () => {
    const port = await serve(() => undefined);
    const results = await run(port);
    expect(results).toHaveLength(3);
    expect(summary(results)).toEqual([
      expect.stringMatching(/^fail: no answer from testsmdpplus1\.example\.com:\d+\/gsma\/rsp2\/es9plus\/initiateAuthentication within 400 ms$/),
      expect.stringMatching(/^inconclusive: precondition "InitiateAuthentication succeeds and the eUICC authenticates the server" not met: no answer/),
      expect.stringMatching(/^fail: no answer from .*handleNotification within 400 ms$/),
    ]);
  });

  it('a server that answers garbage: fail naming what was wrong', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('<html>\u0000garbage');
    });
    const results = await run(port);
    expect(summary(results)).toEqual([
      'fail: InitiateAuthentication functionExecutionStatus.status: expected Executed-Success, got (nothing)',
      expect.stringMatching(/^inconclusive: precondition .* not met: InitiateAuthentication answered HTTP 200$/),
      'fail: handleNotification functionExecutionStatus.status: expected Failed, got (nothing)',
    ]);
  });

  it('a server that drops every connection: fail saying so', async () => {
    const port = await serve((req) => req.socket.destroy());
    const results = await run(port);
    expect(results.map((result) => result.verdict)).toEqual(['fail', 'inconclusive', 'fail']);
    expect(results[0]?.reason).toMatch(/closed the connection without an answer/);
  });

  it('a port where nothing listens: fail with the connection error', async () => {
    const port = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    for (const socket of sockets) socket.destroy();
    const results = await run(port);
    expect(results[0]?.verdict).toBe('fail');
    expect(results[0]?.reason).toMatch(/cannot reach .*ECONNREFUSED/);
  });
});
