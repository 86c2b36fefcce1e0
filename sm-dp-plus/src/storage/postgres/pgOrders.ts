// Order statements (OrderTransaction) and the IMEI blocklist for PostgreSQL. The lookups of one open order
// lock its row (FOR UPDATE) until the transaction ends: of two transactions about to move the same order
// (binding, closing, the installation result) the second waits and then sees the first one's outcome.
import type { NewOrder, OrderKey, OrderPatch, OrderReadParts, OrderRecord, OrderWithProfile } from '../../core/repository.js';
import type { EidDigits, IccidDigits, ImeiDigits } from '@zkesim/protocol';
import type { MatchingId } from '../../core/identifiers.js';
import { sealedColumn } from '../../core/secretSealer.js';
import { orderColumns, orderKeyCondition, orderWithProfileSelect, sealedOrderColumns, toColumnValue, type OrderRow, type OrderWithProfileRow } from '../sqlite/rows.js';
import { openOrderRow, openOrderWithProfileRow } from '../sealedRows.js';
import { PgInventoryTransaction } from './pgInventory.js';

export class PgOrderTransaction extends PgInventoryTransaction {
  async insertOrder(order: NewOrder): Promise<OrderRecord> {
    const inserted = await this.row<{ order_id: number }>(
      `INSERT INTO orders (iccid, eid, matching_id, release_flag, smds_address, operator_id, callback_url, device_constraints, created_at,
         expires_at, closed_at, close_reason, reusable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING order_id`,
      [
        order.iccid, order.eid ?? null, order.matchingId ?? null, order.releaseFlag ? 1 : 0, order.smdsAddress ?? null, order.operatorId,
        order.callbackUrl ?? null, order.deviceConstraints === undefined ? null : JSON.stringify(order.deviceConstraints), order.createdAt,
        order.expiresAt ?? null, order.closedAt ?? null, order.closeReason ?? null, order.reusable === true ? 1 : 0,
      ],
    );
    const orderId = Number(inserted?.order_id);
    // The digest is sealed bound to the order's id, which exists only once the row does.
    if (order.confirmationCodeHash !== undefined) await this.updateOrder(orderId, { confirmationCodeHash: order.confirmationCodeHash });
    if (order.subscriberIdentityToken !== undefined && order.closedAt === undefined) await this.updateOrder(orderId, { subscriberIdentityToken: order.subscriberIdentityToken });
    const created = await this.getOrder(orderId);
    if (created === undefined) throw new Error('order vanished right after insert');
    return created;
  }

  private async one(where: string, values: unknown[]): Promise<OrderRecord | undefined> {
    const row = await this.row<OrderRow>(`SELECT * FROM orders WHERE ${where}`, values);
    return row === undefined ? undefined : openOrderRow(this.sealer, row);
  }

  private async many(where: string, values: unknown[]): Promise<OrderRecord[]> {
    const rows = await this.rows<OrderRow>(`SELECT * FROM orders WHERE ${where}`, values);
    return Promise.all(rows.map((row) => openOrderRow(this.sealer, row)));
  }

  getOrder(orderId: number): Promise<OrderRecord | undefined> {
    return this.one('order_id = $1 FOR UPDATE', [orderId]);
  }

  /** The order row locked (FOR UPDATE OF o) as getOrder and the open-order lookups lock it; the profile row is not. */
  async getOrderWithProfile(key: OrderKey, parts?: OrderReadParts): Promise<OrderWithProfile | undefined> {
    const [where, value] = orderKeyCondition(key, '$1');
    const row = await this.row<OrderWithProfileRow>(`${orderWithProfileSelect(parts)} WHERE ${where} FOR UPDATE OF o`, [value]);
    return row === undefined ? undefined : openOrderWithProfileRow(this.sealer, row);
  }

  getLatestOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined> {
    return this.one('iccid = $1 ORDER BY order_id DESC LIMIT 1', [iccid]);
  }

  getOpenOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined> {
    return this.one('iccid = $1 AND closed_at IS NULL FOR UPDATE', [iccid]);
  }

  getOpenOrderByMatchingId(id: MatchingId): Promise<OrderRecord | undefined> {
    return this.one('matching_id = $1 AND closed_at IS NULL FOR UPDATE', [id]);
  }

  async isMatchingIdTaken(id: MatchingId): Promise<boolean> {
    return (await this.row('SELECT 1 FROM orders WHERE matching_id = $1', [id])) !== undefined;
  }

  findOpenOrdersByEidWithoutMatchingId(eid: EidDigits): Promise<OrderRecord[]> {
    return this.many('eid = $1 AND closed_at IS NULL AND matching_id IS NULL ORDER BY order_id', [eid]);
  }

  findExpiredOpenOrders(now: number, limit: number): Promise<OrderRecord[]> {
    return this.many('closed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2', [now, limit]);
  }

  getOpenOrderByBoundTransaction(transactionIdHex: string): Promise<OrderRecord | undefined> {
    return this.one('bound_transaction_id = $1 AND closed_at IS NULL FOR UPDATE', [transactionIdHex]);
  }

  async updateOrder(orderId: number, patch: OrderPatch): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = orderColumns[key];
      if (column === undefined) throw new Error(`order field ${key} cannot be updated`);
      const sealed = sealedOrderColumns.find((name) => name === column);
      values.push(
        sealed !== undefined && value instanceof Uint8Array
          ? Buffer.from(await this.sealer.seal(value, sealedColumn('orders', sealed, orderId)))
          : toColumnValue(value),
      );
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length === 0) return;
    // A closed order keeps no Bound Profile Package and no subscriber identity secret (repository contract).
    if (patch.closedAt !== undefined && !('boundProfilePackage' in patch)) sets.push('bound_profile_package = NULL');
    if (patch.closedAt !== undefined && !('subscriberIdentityToken' in patch)) sets.push('subscriber_identity_token = NULL');
    values.push(orderId);
    const changed = await this.run(`UPDATE orders SET ${sets.join(', ')} WHERE order_id = $${values.length}`, values);
    if (changed !== 1) throw new Error(`order ${orderId} does not exist`);
  }

  incrementDownloadAttempts(orderId: number): Promise<number> {
    return this.increment(orderId, 'download_attempts');
  }

  incrementConfirmationCodeAttempts(orderId: number): Promise<number> {
    return this.increment(orderId, 'confirmation_code_attempts');
  }

  /** One statement (storage contract 4): the row lock orders concurrent increments, none is lost. */
  private async increment(orderId: number, column: 'download_attempts' | 'confirmation_code_attempts'): Promise<number> {
    const row = await this.row<{ n: number }>(`UPDATE orders SET ${column} = ${column} + 1 WHERE order_id = $1 RETURNING ${column} AS n`, [orderId]);
    if (row === undefined) throw new Error(`order ${orderId} does not exist`);
    return row.n;
  }

  async blockImei(imei: ImeiDigits, reason: string, at: number): Promise<void> {
    await this.run('INSERT INTO blocked_imeis (imei, reason, blocked_at) VALUES ($1, $2, $3) ON CONFLICT (imei) DO UPDATE SET reason = excluded.reason', [imei, reason, at]);
  }

  async unblockImei(imei: ImeiDigits): Promise<void> {
    await this.run('DELETE FROM blocked_imeis WHERE imei = $1', [imei]);
  }

  async isImeiBlocked(imei: ImeiDigits): Promise<boolean> {
    // The blocklist holds 15-digit IMEIs; an IMEISV (16 digits) matches on its first 14 digits + any check digit.
    return (await this.row('SELECT 1 FROM blocked_imeis WHERE imei = $1 OR substr(imei, 1, 14) = $2', [imei, imei.slice(0, 14)])) !== undefined;
  }
}
