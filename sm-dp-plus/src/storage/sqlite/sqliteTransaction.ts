// The statements behind SmdpTransaction for SQLite, split by concern: inventory (sqliteInventory.ts), orders and
// the IMEI blocklist (sqliteOrders.ts), row shapes and their mapping to the core's records (rows.ts, and nowhere
// else). This file adds the outbox, the anchor records, the activity tags and the sealing of rows written before
// sealing. The methods are synchronous underneath (better-sqlite3) and wrapped in promises to fit the storage interface.
import type { OutboxEntry, OutboxState } from '@zkesim/rsp-server';
import type { AnchorRecordEntry, SmdpTransaction } from '../../core/repository.js';
import type { IccidDigits } from '@zkesim/protocol';
import { sealedColumn } from '../../core/secretSealer.js';
import { ERASED, outboxEntryOf, type OutboxRow } from './rows.js';
import { SqliteOrderTransaction } from './sqliteOrders.js';

export class SqliteTransaction extends SqliteOrderTransaction implements SmdpTransaction {
  async enqueueOutbox(entry: { targetUrl: string; body: string; at: number }): Promise<number> {
    const result = this.db
      .prepare('INSERT INTO outbox (target_url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?)')
      .run(entry.targetUrl, entry.body, entry.at, entry.at);
    return Number(result.lastInsertRowid);
  }

  async dueOutbox(now: number, limit: number): Promise<OutboxEntry[]> {
    const rows = this.db
      .prepare(
        // FIFO per target: an entry waits while an older one to the same URL is pending, so an operator
        // sees "BPP downloaded" before "installed" even when the first attempt failed. A dead entry no
        // longer holds the ones after it.
        `SELECT * FROM outbox o WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target_url = o.target_url AND p.delivered_at IS NULL AND p.dead_at IS NULL AND p.id < o.id)
         ORDER BY next_attempt_at, id LIMIT ?`,
      )
      .all(now, limit) as OutboxRow[];
    return rows.map(outboxEntryOf);
  }

  async markOutboxDead(id: number, at: number, lastError: string): Promise<void> {
    this.db.prepare('UPDATE outbox SET dead_at = ?, last_error = ? WHERE id = ? AND delivered_at IS NULL AND dead_at IS NULL').run(at, lastError, id);
  }

  async requeueOutbox(id: number, at: number): Promise<boolean> {
    const result = this.db.prepare('UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ? WHERE id = ? AND dead_at IS NOT NULL').run(at, id);
    return result.changes === 1;
  }

  async listOutbox(options: { state?: OutboxState; limit: number }): Promise<OutboxEntry[]> {
    const where = {
      all: '1 = 1',
      pending: 'delivered_at IS NULL AND dead_at IS NULL',
      delivered: 'delivered_at IS NOT NULL',
      dead: 'dead_at IS NOT NULL AND delivered_at IS NULL',
    }[options.state ?? 'all'];
    return (this.db.prepare(`SELECT * FROM outbox WHERE ${where} ORDER BY id DESC LIMIT ?`).all(options.limit) as OutboxRow[]).map(outboxEntryOf);
  }

  async markOutboxDelivered(id: number, at: number): Promise<void> {
    this.db.prepare('UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?').run(at, id);
  }

  async rescheduleOutbox(id: number, lastError: string, nextAttemptAt: (attempts: number) => number): Promise<number | undefined> {
    // The count is incremented by the statement itself; the due time follows from the count it returns.
    const row = this.db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? RETURNING attempts').get(lastError, id) as
      | { attempts: number }
      | undefined;
    if (row === undefined) return undefined;
    this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(nextAttemptAt(row.attempts), id);
    return row.attempts;
  }

  async pendingOutboxCount(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL').get() as { n: number }).n;
  }

  async deadOutboxCount(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox WHERE dead_at IS NOT NULL AND delivered_at IS NULL').get() as { n: number }).n;
  }

  async enqueueAnchorRecord(entry: { orderId: number; eventId: string; payload: string; at: number }): Promise<number> {
    const inserted = this.db
      .prepare('INSERT INTO anchor_records (order_id, event_id, payload, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING RETURNING id')
      .get(entry.orderId, entry.eventId, entry.payload, entry.at) as { id: number } | undefined;
    if (inserted !== undefined) return inserted.id;
    return (this.db.prepare('SELECT id FROM anchor_records WHERE event_id = ?').get(entry.eventId) as { id: number }).id;
  }

  async pendingAnchorRecords(limit: number): Promise<AnchorRecordEntry[]> {
    const rows = this.db
      .prepare('SELECT id, order_id, event_id, payload, created_at FROM anchor_records WHERE drained_at IS NULL ORDER BY id LIMIT ?')
      .all(limit) as { id: number; order_id: number; event_id: string; payload: string; created_at: number }[];
    return rows.map((row) => ({ id: row.id, orderId: row.order_id, eventId: row.event_id, payload: row.payload, createdAt: row.created_at }));
  }

  async markAnchorRecordDrained(id: number, at: number): Promise<void> {
    this.db.prepare('UPDATE anchor_records SET drained_at = ? WHERE id = ? AND drained_at IS NULL').run(at, id);
  }

  async putActivityTags(iccid: IccidDigits, firstIndex: number, tags: readonly Uint8Array[]): Promise<void> {
    if (tags.some((tag) => tag.length !== 32)) throw new Error('activity tags are 32 bytes');
    if (tags.length === 0) return void (await this.eraseActivityTags(iccid));
    this.db
      .prepare(
        `INSERT INTO profile_activity (iccid, first_index, next_index, tags) VALUES (?, ?, ?, ?)
         ON CONFLICT(iccid) DO UPDATE SET first_index = excluded.first_index, next_index = excluded.next_index, tags = excluded.tags`,
      )
      .run(iccid, firstIndex, firstIndex, Buffer.concat(tags.map((tag) => Buffer.from(tag))));
  }

  async takeActivityTag(iccid: IccidDigits): Promise<{ index: number; tag: Uint8Array } | undefined> {
    // One conditional write returning the tag taken: two events never get the same one (storage contract 4).
    const row = this.db
      .prepare(
        `UPDATE profile_activity SET next_index = next_index + 1 WHERE iccid = ? AND (next_index - first_index) * 32 < length(tags)
         RETURNING next_index - 1 AS taken, substr(tags, (next_index - 1 - first_index) * 32 + 1, 32) AS tag`,
      )
      .get(iccid) as { taken: number; tag: Buffer } | undefined;
    return row === undefined ? undefined : { index: row.taken, tag: new Uint8Array(row.tag) };
  }

  async eraseActivityTags(iccid: IccidDigits): Promise<boolean> {
    return this.db.prepare('DELETE FROM profile_activity WHERE iccid = ?').run(iccid).changes > 0;
  }

  /** The store's key check: written on first open, opened on every later one (throws SealedValueError). */
  private async checkSealer(): Promise<void> {
    const associatedData = 'sealer_check';
    const row = this.db.prepare('SELECT sealed FROM sealer_check WHERE id = 1').get() as { sealed: Buffer } | undefined;
    if (row === undefined) {
      const sealed = await this.sealer.seal(new TextEncoder().encode(associatedData), associatedData);
      this.db.prepare('INSERT INTO sealer_check (id, sealed) VALUES (1, ?)').run(Buffer.from(sealed));
    } else {
      await this.sealer.open(new Uint8Array(row.sealed), associatedData);
    }
  }

  /**
   * Seals the Ki, OPc and confirmation-code digests written before they were sealed (schema version 6).
   * Runs at open inside the caller's transaction; `secrets_sealed` marks the rows done, so an interrupted
   * run continues where it stopped.
   */
  async sealPlaintextRows(): Promise<number> {
    await this.checkSealer();
    const profiles = this.db.prepare('SELECT iccid, ki, opc FROM profiles WHERE secrets_sealed = 0').all() as { iccid: string; ki: Buffer; opc: Buffer }[];
    const sealIfKept = async (value: Buffer, associatedData: string): Promise<Buffer> =>
      value.length === 0 ? ERASED : Buffer.from(await this.sealer.seal(new Uint8Array(value), associatedData));
    for (const row of profiles) {
      const ki = await sealIfKept(row.ki, sealedColumn('profiles', 'ki', row.iccid));
      const opc = await sealIfKept(row.opc, sealedColumn('profiles', 'opc', row.iccid));
      this.db.prepare('UPDATE profiles SET ki = ?, opc = ?, secrets_sealed = 1 WHERE iccid = ?').run(ki, opc, row.iccid);
    }
    const orders = this.db.prepare('SELECT order_id, confirmation_code_hash, bound_profile_package FROM orders WHERE secrets_sealed = 0').all() as {
      order_id: number;
      confirmation_code_hash: Buffer | null;
      bound_profile_package: Buffer | null;
    }[];
    for (const row of orders) {
      const seal = async (column: 'confirmation_code_hash' | 'bound_profile_package'): Promise<Buffer | null> => {
        const value = row[column];
        return value === null ? null : Buffer.from(await this.sealer.seal(new Uint8Array(value), sealedColumn('orders', column, row.order_id)));
      };
      this.db
        .prepare('UPDATE orders SET confirmation_code_hash = ?, bound_profile_package = ?, secrets_sealed = 1 WHERE order_id = ?')
        .run(await seal('confirmation_code_hash'), await seal('bound_profile_package'), row.order_id);
    }
    return profiles.length + orders.length;
  }
}
