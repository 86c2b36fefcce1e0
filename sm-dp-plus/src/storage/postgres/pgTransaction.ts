// The statements behind SmdpTransaction for PostgreSQL: inventory (pgInventory.ts), orders (pgOrders.ts), and
// here the outbox, the anchor records, the activity tags and the store's key check. Outbox entries are claimed
// (FOR UPDATE SKIP LOCKED, then a lease) so that the OutboxWorkers of several processes on one database never
// take the same entry at once; an entry whose claimant died is due again when its lease ends.
import type { OutboxEntry, OutboxState, PgCommitTail } from '@zkesim/rsp-server';
import type { AnchorRecordEntry, SmdpTransaction } from '../../core/repository.js';
import type { IccidDigits } from '@zkesim/protocol';
import { outboxEntryOf, type OutboxRow } from '../sqlite/rows.js';
import { PgOrderTransaction } from './pgOrders.js';
import type pg from 'pg';
import type { SecretSealer } from '../../core/secretSealer.js';

/**
 * How long a claimed outbox entry stays with the process that claimed it (ms), unless configured
 * (storage.outboxClaimMs): longer than one delivery attempt; a process killed mid-delivery delays the entry by
 * at most this.
 */
export const defaultOutboxClaimMs = 60_000;

export class PgTransaction extends PgOrderTransaction implements SmdpTransaction {
  constructor(
    client: pg.ClientBase,
    sealer: SecretSealer,
    private readonly outboxClaimMs = defaultOutboxClaimMs,
    /** Statements sent with this transaction's COMMIT (the download sessions' writes, pgSessions.ts). */
    readonly commitTail?: PgCommitTail,
  ) {
    super(client, sealer);
  }

  async enqueueOutbox(entry: { targetUrl: string; body: string; at: number }): Promise<number> {
    const row = await this.row<{ id: number }>('INSERT INTO outbox (target_url, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $3) RETURNING id', [
      entry.targetUrl, entry.body, entry.at,
    ]);
    return Number(row?.id);
  }

  async dueOutbox(now: number, limit: number): Promise<OutboxEntry[]> {
    // FIFO per target as in SQLite (an entry waits while an older one to the same URL is pending, claimed or
    // not); rows another transaction is claiming are skipped, not waited for.
    const rows = await this.rows<OutboxRow>(
      `UPDATE outbox SET claimed_until = $1::bigint + $3::bigint WHERE id IN (
         SELECT o.id FROM outbox o WHERE o.delivered_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= $1
           AND (o.claimed_until IS NULL OR o.claimed_until <= $1)
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target_url = o.target_url AND p.delivered_at IS NULL AND p.dead_at IS NULL AND p.id < o.id)
         ORDER BY o.next_attempt_at, o.id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, limit, this.outboxClaimMs],
    );
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id).map(outboxEntryOf);
  }

  async markOutboxDead(id: number, at: number, lastError: string): Promise<void> {
    await this.run('UPDATE outbox SET dead_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3 AND delivered_at IS NULL AND dead_at IS NULL', [at, lastError, id]);
  }

  async requeueOutbox(id: number, at: number): Promise<boolean> {
    return (await this.run('UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = $1, claimed_until = NULL WHERE id = $2 AND dead_at IS NOT NULL', [at, id])) === 1;
  }

  async listOutbox(options: { state?: OutboxState; limit: number }): Promise<OutboxEntry[]> {
    const where = {
      all: 'TRUE',
      pending: 'delivered_at IS NULL AND dead_at IS NULL',
      delivered: 'delivered_at IS NOT NULL',
      dead: 'dead_at IS NOT NULL AND delivered_at IS NULL',
    }[options.state ?? 'all'];
    return (await this.rows<OutboxRow>(`SELECT * FROM outbox WHERE ${where} ORDER BY id DESC LIMIT $1`, [options.limit])).map(outboxEntryOf);
  }

  async markOutboxDelivered(id: number, at: number): Promise<void> {
    await this.run('UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, claimed_until = NULL WHERE id = $2', [at, id]);
  }

  async rescheduleOutbox(id: number, lastError: string, nextAttemptAt: (attempts: number) => number): Promise<number | undefined> {
    const row = await this.row<{ attempts: number }>('UPDATE outbox SET attempts = attempts + 1, last_error = $1, claimed_until = NULL WHERE id = $2 RETURNING attempts', [lastError, id]);
    if (row === undefined) return undefined;
    await this.run('UPDATE outbox SET next_attempt_at = $1 WHERE id = $2', [nextAttemptAt(row.attempts), id]);
    return row.attempts;
  }

  async pendingOutboxCount(): Promise<number> {
    return Number((await this.row<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL'))?.n ?? 0);
  }

  async deadOutboxCount(): Promise<number> {
    return Number((await this.row<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE dead_at IS NOT NULL AND delivered_at IS NULL'))?.n ?? 0);
  }

  async enqueueAnchorRecord(entry: { orderId: number; eventId: string; payload: string; at: number }): Promise<number> {
    const inserted = await this.row<{ id: number }>(
      'INSERT INTO anchor_records (order_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING RETURNING id',
      [entry.orderId, entry.eventId, entry.payload, entry.at],
    );
    if (inserted !== undefined) return inserted.id;
    return Number((await this.row<{ id: number }>('SELECT id FROM anchor_records WHERE event_id = $1', [entry.eventId]))?.id);
  }

  async pendingAnchorRecords(limit: number): Promise<AnchorRecordEntry[]> {
    const rows = await this.rows<{ id: number; order_id: number; event_id: string; payload: string; created_at: number }>(
      'SELECT id, order_id, event_id, payload, created_at FROM anchor_records WHERE drained_at IS NULL ORDER BY id LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ id: row.id, orderId: row.order_id, eventId: row.event_id, payload: row.payload, createdAt: row.created_at }));
  }

  async markAnchorRecordDrained(id: number, at: number): Promise<void> {
    await this.run('UPDATE anchor_records SET drained_at = $1 WHERE id = $2 AND drained_at IS NULL', [at, id]);
  }

  async putActivityTags(iccid: IccidDigits, firstIndex: number, tags: readonly Uint8Array[]): Promise<void> {
    if (tags.some((tag) => tag.length !== 32)) throw new Error('activity tags are 32 bytes');
    if (tags.length === 0) return void (await this.eraseActivityTags(iccid));
    await this.run(
      `INSERT INTO profile_activity (iccid, first_index, next_index, tags) VALUES ($1, $2, $2, $3)
       ON CONFLICT (iccid) DO UPDATE SET first_index = excluded.first_index, next_index = excluded.next_index, tags = excluded.tags`,
      [iccid, firstIndex, Buffer.concat(tags.map((tag) => Buffer.from(tag)))],
    );
  }

  async takeActivityTag(iccid: IccidDigits): Promise<{ index: number; tag: Uint8Array } | undefined> {
    // One conditional write returning the tag taken (storage contract 4): the row lock orders concurrent takes.
    const row = await this.row<{ taken: number; tag: Buffer }>(
      `UPDATE profile_activity SET next_index = next_index + 1 WHERE iccid = $1 AND (next_index - first_index) * 32 < length(tags)
       RETURNING next_index - 1 AS taken, substring(tags FROM (next_index - 1 - first_index) * 32 + 1 FOR 32) AS tag`,
      [iccid],
    );
    return row === undefined ? undefined : { index: row.taken, tag: new Uint8Array(row.tag) };
  }

  async eraseActivityTags(iccid: IccidDigits): Promise<boolean> {
    return (await this.run('DELETE FROM profile_activity WHERE iccid = $1', [iccid])) > 0;
  }

  /** The store's key check: written on first open, opened on every later one (throws SealedValueError). */
  async checkSealer(): Promise<void> {
    const associatedData = 'sealer_check';
    const row = await this.row<{ sealed: Buffer }>('SELECT sealed FROM sealer_check WHERE id = 1');
    if (row === undefined) {
      const sealed = await this.sealer.seal(new TextEncoder().encode(associatedData), associatedData);
      // Another process opening the empty store at the same time may have written its own first: check that one.
      if ((await this.run('INSERT INTO sealer_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [Buffer.from(sealed)])) === 0) await this.checkSealer();
    } else {
      await this.sealer.open(new Uint8Array(row.sealed), associatedData);
    }
  }
}
