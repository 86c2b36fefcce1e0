// Delivers queued requests to peers over mutual TLS, outside any request path: ES2+
// HandleDownloadProgressInfo to operators (SGP.22 §5.3.5), ES12 to an SM-DS. An entry stays in the outbox
// until the peer answers 2xx with Executed-Success; failures are retried with exponential backoff and
// jitter, capped at `maxDelayMs`, for as long as it takes (a peer outage must not lose requests).
import { request as httpsRequest } from 'node:https';
import type { OutboxEntry, OutboxStore } from './outboxStore.js';
import { adminProtocolHeader, adminProtocolVersion, jsonContentType, type Clock, type Logger, type RandomSource } from '@zkesim/protocol';

export interface OutboxTls {
  /** This server's client certificate and key for the peer interface (PEM). */
  cert?: string;
  key?: string;
  /** Trust anchors for the operators' servers (PEM); undefined = the system store. */
  ca?: string[];
}

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
  batchSize: number;
  onPending?: (count: number) => void;
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
    return total;
  }

  private async deliverRound(): Promise<number> {
    const { repository, clock } = this.options;
    const due = await repository.transaction((tx) => tx.dueOutbox(clock.now(), this.options.batchSize));
    let delivered = 0;
    for (const entry of due) {
      const failure = await this.deliver(entry);
      if (failure === undefined || failure.startsWith(refusedPrefix)) {
        delivered += 1;
        await repository.transaction((tx) => tx.markOutboxDelivered(entry.id, clock.now()));
        if (failure === undefined) this.options.logger.info({ outboxId: entry.id, attempts: entry.attempts + 1 }, 'peer notified');
        // The peer ran the function and refused it: retrying the same request cannot succeed.
        else this.options.logger.warn({ outboxId: entry.id, target: entry.targetUrl, error: failure }, 'peer refused the request, not retried');
      } else {
        const failedAt = clock.now();
        const attempts = await repository.transaction((tx) => tx.rescheduleOutbox(entry.id, failure, (count) => failedAt + this.backoff(count)));
        this.options.logger.warn({ outboxId: entry.id, attempts, error: failure }, 'operator notification failed, will retry');
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

  /** Sends one entry; returns undefined on success or a short reason. */
  private deliver(entry: OutboxEntry): Promise<string | undefined> {
    const { tls, requestTimeoutMs } = this.options;
    return new Promise((resolve) => {
      const request = httpsRequest(
        entry.targetUrl,
        {
          method: 'POST',
          headers: { 'Content-Type': jsonContentType, [adminProtocolHeader]: adminProtocolVersion },
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          timeout: requestTimeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(judgeResponse(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          response.on('error', (error) => resolve(error.message));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${requestTimeoutMs} ms`)));
      request.on('error', (error) => resolve(error.message));
      request.end(entry.body);
    });
  }
}

/** Prefix of a judgement that the peer executed the function and answered Failed / Expired. */
const refusedPrefix = 'refused: ';

function judgeResponse(status: number, text: string): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}`;
  if (status === 204 || text.length === 0) return undefined;
  try {
    const parsed = JSON.parse(text) as { header?: { functionExecutionStatus?: { status?: string } } };
    const executed = parsed.header?.functionExecutionStatus?.status;
    return executed === undefined || executed.startsWith('Executed') ? undefined : `${refusedPrefix}peer answered ${executed} ${text.slice(0, 200)}`;
  } catch (error) {
    return `operator answered invalid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
}
