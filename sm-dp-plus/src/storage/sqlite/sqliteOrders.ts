// Order statements (OrderTransaction) and the IMEI blocklist; the sealed order columns are opened here.
import type { NewOrder, OrderKey, OrderPatch, OrderReadParts, OrderRecord, OrderWithProfile } from '../../core/repository.js';
import type { EidDigits, IccidDigits, ImeiDigits } from '@zkesim/protocol';
import type { MatchingId } from '../../core/identifiers.js';
import { sealedColumn } from '../../core/secretSealer.js';
import { orderColumns, orderKeyCondition, orderWithProfileSelect, sealedOrderColumns, toColumnValue, type OrderRow, type OrderWithProfileRow } from './rows.js';
import { openOrderRow, openOrderWithProfileRow } from '../sealedRows.js';
import { SqliteInventoryTransaction } from './sqliteInventory.js';

export class SqliteOrderTransaction extends SqliteInventoryTransaction {
  /** Set when a write of this transaction dropped a subscriber identity secret, for the repository to purge the WAL. */
  secretsDropped = false;

  async insertOrder(order: NewOrder): Promise<OrderRecord> {
    const result = this.db
      .prepare(
        `INSERT INTO orders (iccid, eid, matching_id, confirmation_code_hash, release_flag, smds_address, operator_id,
           callback_url, device_constraints, created_at, expires_at, closed_at, close_reason, reusable, secrets_sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .run(
        order.iccid,
        order.eid ?? null,
        order.matchingId ?? null,
        null,
        order.releaseFlag ? 1 : 0,
        order.smdsAddress ?? null,
        order.operatorId,
        order.callbackUrl ?? null,
        order.deviceConstraints === undefined ? null : JSON.stringify(order.deviceConstraints),
        order.createdAt,
        order.expiresAt ?? null,
        order.closedAt ?? null,
        order.closeReason ?? null,
        order.reusable === true ? 1 : 0,
      );
    const orderId = Number(result.lastInsertRowid);
    // The digest is sealed bound to the order's id, which exists only once the row does.
    if (order.confirmationCodeHash !== undefined) await this.updateOrder(orderId, { confirmationCodeHash: order.confirmationCodeHash });
    if (order.subscriberIdentityToken !== undefined && order.closedAt === undefined) await this.updateOrder(orderId, { subscriberIdentityToken: order.subscriberIdentityToken });
    const created = await this.getOrder(orderId);
    if (created === undefined) throw new Error('order vanished right after insert');
    return created;
  }

  async getOrder(orderId: number): Promise<OrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as OrderRow | undefined;
    return row === undefined ? undefined : this.orderFromRow(row);
  }

  async getOrderWithProfile(key: OrderKey, parts?: OrderReadParts): Promise<OrderWithProfile | undefined> {
    const [where, value] = orderKeyCondition(key, '?');
    const row = this.db.prepare(`${orderWithProfileSelect(parts)} WHERE ${where}`).get(value) as OrderWithProfileRow | undefined;
    return row === undefined ? undefined : openOrderWithProfileRow(this.sealer, row);
  }

  async getLatestOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM orders WHERE iccid = ? ORDER BY order_id DESC LIMIT 1').get(iccid) as OrderRow | undefined;
    return row === undefined ? undefined : this.orderFromRow(row);
  }

  async getOpenOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM orders WHERE iccid = ? AND closed_at IS NULL').get(iccid) as
      | OrderRow
      | undefined;
    return row === undefined ? undefined : this.orderFromRow(row);
  }

  async getOpenOrderByMatchingId(id: MatchingId): Promise<OrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM orders WHERE matching_id = ? AND closed_at IS NULL').get(id) as
      | OrderRow
      | undefined;
    return row === undefined ? undefined : this.orderFromRow(row);
  }

  async isMatchingIdTaken(id: MatchingId): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM orders WHERE matching_id = ?').get(id) !== undefined;
  }

  async findOpenOrdersByEidWithoutMatchingId(eid: EidDigits): Promise<OrderRecord[]> {
    const rows = this.db
      // The index of these orders only (migration 12): an order with a MatchingID is never in it.
      .prepare('SELECT * FROM orders WHERE eid = ? AND closed_at IS NULL AND matching_id IS NULL ORDER BY order_id')
      .all(eid) as OrderRow[];
    return Promise.all(rows.map((row) => this.orderFromRow(row)));
  }

  async findExpiredOpenOrders(now: number, limit: number): Promise<OrderRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM orders WHERE closed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?')
      .all(now, limit) as OrderRow[];
    return Promise.all(rows.map((row) => this.orderFromRow(row)));
  }

  async getOpenOrderByBoundTransaction(transactionIdHex: string): Promise<OrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM orders WHERE bound_transaction_id = ? AND closed_at IS NULL').get(transactionIdHex) as
      | OrderRow
      | undefined;
    return row === undefined ? undefined : this.orderFromRow(row);
  }

  async updateOrder(orderId: number, patch: OrderPatch): Promise<void> {
    const sets: string[] = [];
    const values: (string | number | Buffer | null)[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = orderColumns[key];
      if (column === undefined) throw new Error(`order field ${key} cannot be updated`);
      sets.push(`${column} = ?`);
      const sealed = sealedOrderColumns.find((name) => name === column);
      values.push(
        sealed !== undefined && value instanceof Uint8Array
          ? Buffer.from(await this.sealer.seal(value, sealedColumn('orders', sealed, orderId)))
          : toColumnValue(value),
      );
    }
    if (sets.length === 0) return;
    // Dropping a subscriber identity secret (closing the order, or clearing it) asks for the WAL purge. The BPP
    // alone does not: it is ciphertext under session keys nobody keeps, and a purge per download costs a checkpoint.
    if ((patch.closedAt !== undefined || ('subscriberIdentityToken' in patch && patch.subscriberIdentityToken === undefined)) && this.hasIdentity(orderId)) {
      this.secretsDropped = true;
    }
    // A closed order keeps no Bound Profile Package (a secret kept only for a retry; repository contract).
    if (patch.closedAt !== undefined && !('boundProfilePackage' in patch)) sets.push('bound_profile_package = NULL');
    // Nor the subscriber's identity secret: it was needed only to personalise the profile (repository contract).
    if (patch.closedAt !== undefined && !('subscriberIdentityToken' in patch)) sets.push('subscriber_identity_token = NULL');
    const result = this.db.prepare(`UPDATE orders SET ${sets.join(', ')} WHERE order_id = ?`).run(...values, orderId);
    if (result.changes !== 1) throw new Error(`order ${orderId} does not exist`);
  }

  private hasIdentity(orderId: number): boolean {
    return this.db.prepare('SELECT 1 FROM orders WHERE order_id = ? AND subscriber_identity_token IS NOT NULL').get(orderId) !== undefined;
  }

  async incrementDownloadAttempts(orderId: number): Promise<number> {
    return this.increment(orderId, 'download_attempts');
  }

  async incrementConfirmationCodeAttempts(orderId: number): Promise<number> {
    return this.increment(orderId, 'confirmation_code_attempts');
  }

  /** One statement, so no other write can come between the read and the write of the counter. */
  private increment(orderId: number, column: 'download_attempts' | 'confirmation_code_attempts'): number {
    const row = this.db.prepare(`UPDATE orders SET ${column} = ${column} + 1 WHERE order_id = ? RETURNING ${column} AS n`).get(orderId) as
      | { n: number }
      | undefined;
    if (row === undefined) throw new Error(`order ${orderId} does not exist`);
    return row.n;
  }

  async blockImei(imei: ImeiDigits, reason: string, at: number): Promise<void> {
    this.db
      .prepare('INSERT INTO blocked_imeis (imei, reason, blocked_at) VALUES (?, ?, ?) ON CONFLICT(imei) DO UPDATE SET reason = excluded.reason')
      .run(imei, reason, at);
  }

  async unblockImei(imei: ImeiDigits): Promise<void> {
    this.db.prepare('DELETE FROM blocked_imeis WHERE imei = ?').run(imei);
  }

  async isImeiBlocked(imei: ImeiDigits): Promise<boolean> {
    // The blocklist holds 15-digit IMEIs; an IMEISV (16 digits) matches on its first 14 digits + any check digit.
    const row = this.db.prepare('SELECT 1 FROM blocked_imeis WHERE imei = ? OR substr(imei, 1, 14) = ?').get(imei, imei.slice(0, 14));
    return row !== undefined;
  }

  private orderFromRow(row: OrderRow): Promise<OrderRecord> {
    return openOrderRow(this.sealer, row);
  }
}
