// The outbox gives up on an entry visibly: after `maxAttempts` failed attempts, or at once when the peer
// refuses the request (Failed), the entry is dead: kept with its attempts and last error, no longer sent,
// listed by `zkesim smdp outbox` and requeued by `zkesim smdp outbox --retry ID`. Real SQLite file, real
// HTTPS peer, the real command line.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker, certificatePem, privateKeyPem } from '@zkesim/rsp-server';
import { silentLogger } from '@zkesim/protocol';
import { SqliteRepository } from '../src/storage/sqlite/sqliteRepository.js';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { AesGcmSealer } from '../src/adapters/secrets/aesGcmSealer.js';
import { randomBytes } from 'node:crypto';

/** The store's key-encryption key (the command line is given the same one through SMDP_KEY_ENCRYPTION_KEY). */
const keyEncryptionKey = randomBytes(32);
const sealer = new AesGcmSealer(keyEncryptionKey);

const run = promisify(execFile);
const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
let pki: TestPki;
let dir: string;
let refusing: Server;
/** The refusing peer's answer: the function ran and failed (SGP.22 §6.5.1.4 functionExecutionStatus). */
const refusal = JSON.stringify({ header: { functionExecutionStatus: { status: 'Failed', statusCodeData: { subjectCode: '8.9.5', reasonCode: '3.3' } } } });

beforeAll(async () => {
  pki = createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'zkesim-dead-letter-'));
  // A peer that runs the function and refuses it.
  refusing = createServer({ cert: readFileSync(pki.callbackCert), key: readFileSync(pki.callbackKey) }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(refusal);
    });
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => refusing.close(resolve));
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('outbox dead letters', () => {
  it('makes an entry dead after maxAttempts or a refusal, lists it and requeues it from the command line', { timeout: 60_000 }, async () => {
    const path = join(dir, 'smdp.db');
    const repository = new SqliteRepository({ path, sealer });
    const unreachableUrl = `https://127.0.0.1:${await closedPort()}/gsma/rsp2/es2plus/handleDownloadProgressInfo`;
    const refusingUrl = `https://127.0.0.1:${(refusing.address() as AddressInfo).port}/gsma/rsp2/es12/registerEvent`;
    const [unreachable, refused] = await repository.transaction(async (tx) => [
      await tx.enqueueOutbox({ targetUrl: unreachableUrl, body: '{}', at: 0 }),
      await tx.enqueueOutbox({ targetUrl: refusingUrl, body: '{}', at: 0 }),
    ]);
    const worker = new OutboxWorker({
      repository,
      clock: { now: () => Date.now() },
      random: { bytes: (n) => new Uint8Array(n).fill(128) },
      logger: silentLogger,
      tls: { cert: certificatePem(pki.operatorCert), key: privateKeyPem(pki.operatorKey), ca: [certificatePem(pki.operatorCa)] },
      pollIntervalMs: 60_000,
      baseDelayMs: 1,
      maxDelayMs: 5,
      requestTimeoutMs: 2000,
      maxAttempts: 3,
      batchSize: 10,
    });
    // The refused entry dies at its first attempt, in the first run; the unreachable one at its third, which a
    // run makes at most two of (one run goes on only while something was delivered or refused).
    const start = Date.now();
    let firstRunEnd = 0;
    for (let round = 0; round < 6; round += 1) {
      await worker.runOnce();
      if (round === 0) firstRunEnd = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const end = Date.now();
    const entries = await repository.transaction((tx) => tx.listOutbox({ limit: 10 }));
    const deadUnreachable = entries.find((e) => e.id === unreachable);
    const deadRefused = entries.find((e) => e.id === refused);
    expect(deadUnreachable).toMatchObject({ attempts: 3, lastError: `connect ECONNREFUSED ${new URL(unreachableUrl).host}` });
    expect(deadRefused).toMatchObject({ attempts: 1, lastError: `peer answered Failed ${refusal}` });
    expect(deadRefused?.deadAt).toBeGreaterThanOrEqual(start);
    expect(deadRefused?.deadAt).toBeLessThanOrEqual(firstRunEnd);
    expect(deadUnreachable?.deadAt).toBeGreaterThan(firstRunEnd);
    expect(deadUnreachable?.deadAt).toBeLessThanOrEqual(end);
    expect(await repository.transaction((tx) => tx.pendingOutboxCount())).toBe(0);
    expect(await repository.transaction((tx) => tx.dueOutbox(Date.now() + 1e9, 10))).toEqual([]);
    await repository.close();

    const env = { ...process.env, SMDP_DATABASE_PATH: path, SMDP_KEY_ENCRYPTION_KEY: keyEncryptionKey.toString('base64') };
    const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [zkesim, 'smdp', 'outbox', ...args], { env, cwd: dir })).stdout) as unknown;
    const listed = (await cli()) as Array<Record<string, unknown>>;
    expect(listed.find((e) => e.id === unreachable)).toMatchObject({
      state: 'dead', attempts: 3, target: unreachableUrl, lastError: deadUnreachable?.lastError, deadAt: new Date(deadUnreachable?.deadAt ?? 0).toISOString(),
    });
    expect(listed.find((e) => e.id === refused)).toMatchObject({ state: 'dead', attempts: 1, lastError: deadRefused?.lastError });
    expect(await cli('--state', 'pending')).toEqual([]);
    expect(await cli('--retry', String(unreachable))).toEqual({ id: unreachable, requeued: true });
    expect(((await cli('--state', 'pending')) as Array<Record<string, unknown>>).map((e) => [e.id, e.state, e.attempts])).toEqual([[unreachable, 'pending', 0]]);
    expect(await cli('--retry', String(unreachable))).toEqual({ id: unreachable, requeued: false });
  });
});
