// Delivers queued requests to peers over mutual TLS, outside any request path: ES2+
// HandleDownloadProgressInfo to operators (SGP.22 §5.3.5), ES12 to an SM-DS. An entry stays pending until
// the peer answers 2xx with Executed-Success; failures are retried with exponential backoff and jitter,
// capped at `maxDelayMs`, up to `maxAttempts`. An entry the peer refused (Failed / Expired), or whose
// attempts ran out, becomes dead: kept with its last error, listed (`zkesim smdp outbox`) and sent again
// only when requeued, so a peer outage loses nothing and a poisoned entry does not retry for ever.
//
// Delivery is at least once: an entry is marked delivered after the peer's answer, in its own
// transaction, so a process stopped in between sends it again. The request body (with its
// functionCallIdentifier) is fixed when queued; peers de-duplicate on it.
import type { OutboxStore } from './outboxStore.js';
import { postToPeer, type PeerTls } from './peerRequest.js';
import type { Clock, Logger, RandomSource } from '@zkesim/protocol';

export type OutboxTls = PeerTls;

export interface OutboxWorkerOptions {
  repository: OutboxStore;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  tls: OutboxTls;
  pollIntervalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  requestTimeoutMs: number;
  /** Failed attempts after which an entry is dead. */
  maxAttempts: number;
  batchSize: number;
  onPending?: (count: number) => void;
  /** Called with the number of dead entries after each run (for a gauge: what waits for an operator). */
  onDead?: (count: number) => void;
  /** Where an entry's request goes, from its queued target (default: the target itself). */
  route?: (targetUrl: string) => string;
}

export class OutboxWorker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.options.logger.error({ err: error }, 'outbox run failed'));
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Attempts every due entry once; returns how many were delivered. One run at a time. */
  runOnce(): Promise<number> {
    if (this.running === undefined) {
      this.running = this.deliverDue().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  /** Rounds of one entry per target until nothing more is delivered (bounded, so a run always ends). */
  private async deliverDue(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 20; round += 1) {
      const delivered = await this.deliverRound();
      total += delivered;
      if (delivered === 0) break;
    }
    this.options.onPending?.(await this.options.repository.transaction((tx) => tx.pendingOutboxCount()));
    if (this.options.onDead !== undefined) this.options.onDead(await this.options.repository.transaction((tx) => tx.deadOutboxCount()));
    return total;
  }

  private async deliverRound(): Promise<number> {
    const { repository, clock } = this.options;
    const due = await repository.transaction((tx) => tx.dueOutbox(clock.now(), this.options.batchSize));
    let delivered = 0;
    for (const entry of due) {
      const answer = await postToPeer(this.options.route?.(entry.targetUrl) ?? entry.targetUrl, entry.body, this.options.tls, this.options.requestTimeoutMs);
      const at = clock.now();
      if (answer.outcome === 'accepted') {
        delivered += 1;
        await repository.transaction((tx) => tx.markOutboxDelivered(entry.id, at));
        this.options.logger.info({ outboxId: entry.id, attempts: entry.attempts + 1 }, 'peer notified');
      } else if (answer.outcome === 'refused') {
        // The peer ran the function and refused it: sending the same request again cannot succeed.
        delivered += 1;
        await repository.transaction(async (tx) => {
          await tx.rescheduleOutbox(entry.id, answer.detail, () => at);
          await tx.markOutboxDead(entry.id, at, answer.detail);
        });
        this.options.logger.warn({ outboxId: entry.id, target: entry.targetUrl, error: answer.detail }, 'peer refused the request, entry dead');
      } else {
        const attempts = await repository.transaction(async (tx) => {
          const count = await tx.rescheduleOutbox(entry.id, answer.detail, (n) => at + this.backoff(n));
          if (count !== undefined && count >= this.options.maxAttempts) await tx.markOutboxDead(entry.id, at, answer.detail);
          return count;
        });
        if (attempts !== undefined && attempts >= this.options.maxAttempts) {
          this.options.logger.error({ outboxId: entry.id, target: entry.targetUrl, attempts, error: answer.detail }, 'peer not reached, attempts used up, entry dead');
        } else {
          this.options.logger.warn({ outboxId: entry.id, attempts, error: answer.detail }, 'peer not reached, will retry');
        }
      }
    }
    return delivered;
  }

  /** base · 2^(attempts-1), capped, with ±20 % jitter so that retries of many entries spread out. */
  backoff(attempts: number): number {
    const exponential = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(attempts - 1, 30));
    const [jitterByte = 128] = this.options.random.bytes(1);
    return Math.round(exponential * (0.8 + (0.4 * jitterByte) / 255));
  }
}
