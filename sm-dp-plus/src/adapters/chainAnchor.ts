// Anchoring of installation results on the chain. Only hashes are anchored (no EID, no ICCID).
//
// 1. `anchorRecordOf` turns an installation result into its anchor record; handleNotification stores it in
//    the SM-DP+'s own store (anchor records) in the same transaction as the result, and the order keeps its
//    event id, so a committed result always has its record and the order can show its anchor status.
// 2. The AnchorDrain hands each stored record to the contracts package's durable AnchorOutbox (idempotent:
//    the event id is the record's hash, so handing it over twice is one event), then marks it drained. It
//    runs at start, right after each installation result, and every `intervalMs`, so a crash or a failure
//    between the commit and the hand-over only delays the record.
// 3. The AnchorWorker (`npm start`, or `zkesim chain anchor-now`) batches the outbox's records into Merkle
//    roots on the chain, so the download path never waits for the chain.
import {
  ACTIVITY_TAGS_PER_PROFILE,
  activityTags,
  anchorEventId,
  anchorRecordOf as chainRecordOf,
  openAnchorOutbox,
  recordLeafHash,
  type AnchorOutbox,
  type AnchorStatus,
  type InstallResult,
  type InstallResultEvent as ChainInstallResult,
  type SubscriberReference,
} from '@zkesim/contracts';
import { createHash } from 'node:crypto';
import { ErrorReason, type Clock, type Logger } from '@zkesim/protocol';
import type { AnchorRecordTransaction, Transactional } from '../core/repository.js';
import type { ActivityTagger, AnchorRecorder, InstallResultEvent } from '../es9plus/context.js';

/** The stored form of a record: what AnchorOutbox.record takes, with the transactionId in hex. */
interface AnchorPayload {
  transactionId: string;
  profileType: string;
  result: InstallResult;
  occurredAt: number;
  /** The subscriber's activity tag (hex), when the profile carries a subscriber identity. */
  activityTag?: string;
}

function installResultOf(event: InstallResultEvent): InstallResult {
  if (event.success) return { kind: 'successResult' };
  // SGP.22 §5.7.6: a failed installation always carries an errorResult; installFailedDueToUnknownError(127) if it could not be read.
  const errorReason = event.errorResult?.errorReason ?? ErrorReason.named.installFailedDueToUnknownError;
  return { kind: 'errorResult', bppCommandId: event.errorResult?.bppCommandId ?? 0, errorReason };
}

function chainResultOf(payload: AnchorPayload): ChainInstallResult {
  const subscriber: SubscriberReference | undefined =
    payload.activityTag === undefined ? undefined : { activityTag: new Uint8Array(Buffer.from(payload.activityTag, 'hex')) };
  return {
    transactionId: new Uint8Array(Buffer.from(payload.transactionId, 'hex')),
    profileType: payload.profileType,
    result: payload.result,
    occurredAt: payload.occurredAt,
    ...(subscriber === undefined ? {} : { subscriber }),
  };
}

/**
 * The anchor record of an installation result and its event id (the record's leaf hash, as the chain
 * layer's outbox computes it). Throws if the result cannot be anchored, which rolls the result back.
 */
export const anchorRecordOf: AnchorRecorder = (event) => {
  const activityTag = event.activityTag === undefined ? undefined : Buffer.from(event.activityTag).toString('hex');
  const payload: AnchorPayload =
    'operation' in event
      ? {
          // SPEC-AMBIGUITY: an enable/disable/delete notification carries no TransactionId (SGP.22 §5.6.4, only a
          // seqNumber per eUICC); its record's transaction field is the first 16 bytes of SHA-256(tag), unique
          // per event and telling nothing about the profile or the eUICC.
          transactionId: createHash('sha256').update(event.activityTag).digest('hex').slice(0, 32),
          profileType: event.profileType,
          result: { kind: 'profileManagement', operation: event.operation },
          occurredAt: event.at,
          ...(activityTag === undefined ? {} : { activityTag }),
        }
      : {
          transactionId: Buffer.from(event.transactionId).toString('hex'),
          profileType: event.profileType,
          result: installResultOf(event),
          occurredAt: event.at,
          ...(activityTag === undefined ? {} : { activityTag }),
        };
  return { eventId: recordLeafHash(chainRecordOf(chainResultOf(payload))), payload: JSON.stringify(payload) };
};

/** The activity tags of a profile's subscriber identity (contracts/src/identity/activity.ts). */
export const activityTagsOf: ActivityTagger = (identitySecret) => activityTags(identitySecret, ACTIVITY_TAGS_PER_PROFILE);

export interface AnchorDrainOptions {
  store: Transactional<AnchorRecordTransaction>;
  /** The chain layer's folder holding its anchor outbox. */
  outboxDirectory: string;
  clock: Clock;
  logger: Logger;
  /** Period of the drain that picks up what an earlier run could not hand over. */
  intervalMs: number;
  /** Also drain right after each installation result (default true). */
  afterEachResult?: boolean;
  batchSize?: number;
}

/** Moves anchor records from the SM-DP+'s store into the chain layer's anchor outbox. */
export class AnchorDrain {
  private readonly outbox: AnchorOutbox;
  private timer: ReturnType<typeof setInterval> | undefined;
  private current: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private closed = false;

  constructor(private readonly options: AnchorDrainOptions) {
    this.outbox = openAnchorOutbox(options.outboxDirectory, () => options.clock.now());
  }

  /** Drains now, then every `intervalMs` until `close()`. */
  start(): void {
    if (this.timer !== undefined) return;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** The SM-DP+'s `onInstallResult` hook: the record just committed is handed over without waiting. */
  onInstallResult(): void {
    if (this.options.afterEachResult !== false) this.kick();
  }

  private kick(): void {
    this.runOnce().catch((error: unknown) => {
      this.options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'anchor records not handed to the chain outbox yet, will retry');
    });
  }

  /**
   * Hands every pending record over; returns how many. Runs never overlap; a call during a run gets one
   * more run after it, so a record committed during a run is not left waiting for the timer.
   */
  runOnce(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    if (this.queued !== undefined) return this.queued;
    if (this.current === undefined) {
      this.current = this.drain().finally(() => {
        this.current = undefined;
      });
      return this.current;
    }
    this.queued = this.current
      .catch(() => 0)
      .then(() => {
        this.queued = undefined;
        return this.runOnce();
      });
    return this.queued;
  }

  private async drain(): Promise<number> {
    const { store, clock, logger } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    let drained = 0;
    for (;;) {
      const entries = await store.transaction((tx) => tx.pendingAnchorRecords(batchSize));
      let progressed = false;
      for (const entry of entries) {
        const { eventId } = this.outbox.record(chainResultOf(JSON.parse(entry.payload) as AnchorPayload));
        if (eventId !== entry.eventId) {
          // The chain layer computes another id for the stored record: the order would point at nothing.
          logger.error({ orderId: entry.orderId, stored: entry.eventId, computed: eventId }, 'anchor record id mismatch, record kept for inspection');
          continue;
        }
        await store.transaction((tx) => tx.markAnchorRecordDrained(entry.id, clock.now()));
        drained += 1;
        progressed = true;
      }
      if (!progressed || entries.length < batchSize) return drained;
    }
  }

  /** Where the record stands in the chain layer's outbox (pending, batched, submitted, anchored). */
  status(eventId: string): AnchorStatus {
    return this.outbox.status(anchorEventId(eventId));
  }

  /** The chain outbox's backlog: events not yet in a batch, batches not yet anchored (0 once closed). */
  backlog(): { pendingEvents: number; unanchoredBatches: number } {
    if (this.closed) return { pendingEvents: 0, unanchoredBatches: 0 };
    return this.outbox.waiting();
  }

  /** Stops the timer, waits for a run in progress, and closes the chain outbox. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.queued?.catch(() => 0);
    await this.current?.catch(() => 0);
    this.outbox.close();
  }
}
