// The OutboxWorker's retry schedule follows the attempt count the store's own increment returns, not the
// count it read with the entry (another writer may have counted attempts since).
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@zkesim/protocol';
import type { OutboxEntry, OutboxStore, OutboxTransaction } from './outboxStore.js';
import { OutboxWorker } from './outboxWorker.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('OutboxWorker retries', () => {
  it('schedules the next attempt from the count the store returns', async () => {
    const entry: OutboxEntry = { id: 1, targetUrl: `https://127.0.0.1:${await closedPort()}/x`, body: '{}', attempts: 0, nextAttemptAt: 0, createdAt: 0 };
    const stored = { attempts: 3, nextAttemptAt: 0, lastError: '' };
    const tx: Partial<OutboxTransaction> = {
      dueOutbox: async () => (stored.nextAttemptAt === 0 ? [entry] : []),
      rescheduleOutbox: async (_id, lastError, nextAttemptAt) => {
        stored.attempts += 1;
        stored.lastError = lastError;
        stored.nextAttemptAt = nextAttemptAt(stored.attempts);
        return stored.attempts;
      },
      pendingOutboxCount: async () => 1,
    };
    const store: OutboxStore = { transaction: (work) => work(tx as OutboxTransaction) };
    const worker = new OutboxWorker({
      repository: store,
      clock: { now: () => 1_000_000 },
      random: { bytes: (n) => new Uint8Array(n).fill(128) },
      logger: silentLogger,
      tls: {},
      pollIntervalMs: 1000,
      baseDelayMs: 1000,
      maxDelayMs: 3_600_000,
      requestTimeoutMs: 2000,
      maxAttempts: 10,
      batchSize: 10,
    });
    expect(await worker.runOnce()).toBe(0);
    expect(stored.attempts).toBe(4);
    expect(stored.lastError).not.toBe('');
    // base · 2^(4-1) with the jitter byte 128: 8000 · (0.8 + 0.4 · 128/255).
    expect(stored.nextAttemptAt).toBe(1_000_000 + worker.backoff(4));
    expect(worker.backoff(4)).toBe(Math.round(8000 * (0.8 + (0.4 * 128) / 255)));
  });
});
