// The statements behind SmdpTransaction for SQLite. Rows are mapped to the core's records here and
// nowhere else; the methods are synchronous underneath (better-sqlite3) and wrapped in promises to fit
// the storage interface.
import type Database from 'better-sqlite3';
import type { OutboxEntry, OutboxState } from '@zkesim/rsp-server';
import {
  StaleState,
  type AnchorRecordEntry,
  type DeviceConstraints,
  type NewOrder,
  type OrderPatch,
  type OrderRecord,
  type ProfileMetadata,
  type ProfileRecord,
  type ProfileStateChange,
  type ProfileTemplate,
  type SmdpTransaction,
} from '../../core/repository.js';
import { isProfileState, type ProfileEvent, type ProfileState } from '../../core/profileLifecycle.js';
import type { EidDigits, IccidDigits, ImeiDigits, ProfilePolicyRule } from '@zkesim/protocol';
import type { MatchingId } from '../../core/identifiers.js';
import { sealedColumn, type SecretSealer } from '../../core/secretSealer.js';

interface ProfileRow {
  iccid: string;
  profile_type: string;
  state: string;
  imsi: string;
  ki: Buffer;
  opc: Buffer;
  metadata: string | null;
  updated_at: number;
}

interface OrderRow {
  order_id: number;
  iccid: string;
  eid: string | null;
  matching_id: string | null;
  confirmation_code_hash: Buffer | null;
  release_flag: number;
  smds_address: string | null;
  operator_id: string;
  callback_url: string | null;
  device_constraints: string | null;
  created_at: number;
  expires_at: number | null;
  confirmation_code_attempts: number;
  download_attempts: number;
  closed_at: number | null;
  close_reason: string | null;
  bound_transaction_id: string | null;
  euicc_certificate: Buffer | null;
  anchor_event_id: string | null;
  bound_eid: string | null;
  bound_euicc_otpk: Buffer | null;
  bound_profile_package: Buffer | null;
  reusable: number;
  profile_policy_rules: string | null;
  subscriber_identity_token: Buffer | null;
}

/** A Ki/OPc column after eraseProfileSecrets: the empty blob (the columns are NOT NULL). */
const ERASED = Buffer.alloc(0);

/**
 * The order columns sealed at rest (SECURITY.md): the confirmation-code digest, a bound BPP kept for a retry and
 * the subscriber identity an open order carries into its profile.
 */
const sealedOrderColumns = ['confirmation_code_hash', 'bound_profile_package', 'subscriber_identity_token'] as const;
type SealedOrderColumn = (typeof sealedOrderColumns)[number];

const orderColumns: Record<string, string> = {
  eid: 'eid',
  matchingId: 'matching_id',
  confirmationCodeHash: 'confirmation_code_hash',
  releaseFlag: 'release_flag',
  smdsAddress: 'smds_address',
  operatorId: 'operator_id',
  callbackUrl: 'callback_url',
  deviceConstraints: 'device_constraints',
  expiresAt: 'expires_at',
  closedAt: 'closed_at',
  closeReason: 'close_reason',
  boundTransactionId: 'bound_transaction_id',
  euiccCertificate: 'euicc_certificate',
  anchorEventId: 'anchor_event_id',
  boundEid: 'bound_eid',
  boundEuiccOtpk: 'bound_euicc_otpk',
  boundProfilePackage: 'bound_profile_package',
  reusable: 'reusable',
  profilePolicyRules: 'profile_policy_rules',
  subscriberIdentityToken: 'subscriber_identity_token',
};

export class SqliteTransaction implements SmdpTransaction {
  /** Set when a write of this transaction dropped a subscriber identity secret, for the repository to purge the WAL. */
  secretsDropped = false;

  /** Ki, OPc and confirmation-code digests are sealed by `sealer` before they are written (SECURITY.md). */
  constructor(
    private readonly db: Database.Database,
    private readonly sealer: SecretSealer,
  ) {}

  async putProfileTemplate(t: ProfileTemplate): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO profile_templates (profile_type, upp, source, service_provider_name, profile_name)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(profile_type) DO UPDATE SET upp = excluded.upp, source = excluded.source,
           service_provider_name = excluded.service_provider_name, profile_name = excluded.profile_name`,
      )
      .run(t.profileType, Buffer.from(t.upp), t.source, t.serviceProviderName, t.profileName);
  }

  async getProfileTemplate(profileType: string): Promise<ProfileTemplate | undefined> {
    const row = this.db.prepare('SELECT * FROM profile_templates WHERE profile_type = ?').get(profileType) as
      | { profile_type: string; upp: Buffer; source: string; service_provider_name: string; profile_name: string }
      | undefined;
    if (row === undefined) return undefined;
    return {
      profileType: row.profile_type,
      upp: new Uint8Array(row.upp),
      source: row.source,
      serviceProviderName: row.service_provider_name,
      profileName: row.profile_name,
    };
  }

  async listProfileTypes(): Promise<string[]> {
    const rows = this.db.prepare('SELECT profile_type FROM profile_templates ORDER BY profile_type').all() as {
      profile_type: string;
    }[];
    return rows.map((row) => row.profile_type);
  }

  async insertProfile(p: Omit<ProfileRecord, 'updatedAt'>, at: number): Promise<void> {
    const ki = await this.sealer.seal(p.ki, sealedColumn('profiles', 'ki', p.iccid));
    const opc = await this.sealer.seal(p.opc, sealedColumn('profiles', 'opc', p.iccid));
    this.db
      .prepare('INSERT INTO profiles (iccid, profile_type, state, imsi, ki, opc, metadata, updated_at, secrets_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)')
      .run(p.iccid, p.profileType, p.state, p.imsi, Buffer.from(ki), Buffer.from(opc), p.metadata === undefined ? null : JSON.stringify(p.metadata), at);
  }

  async getProfile(iccid: IccidDigits): Promise<ProfileRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM profiles WHERE iccid = ?').get(iccid) as ProfileRow | undefined;
    return row === undefined ? undefined : this.profileFromRow(row);
  }

  async eraseProfileSecrets(iccid: IccidDigits): Promise<void> {
    // secure_delete (set at open) overwrites the freed ciphertext in the file as well.
    this.db.prepare('UPDATE profiles SET ki = ?, opc = ? WHERE iccid = ?').run(ERASED, ERASED, iccid);
    this.db.prepare('UPDATE orders SET confirmation_code_hash = NULL WHERE iccid = ?').run(iccid);
  }

  async findAvailableProfile(profileType: string): Promise<ProfileRecord | undefined> {
    const row = this.db
      .prepare("SELECT * FROM profiles WHERE profile_type = ? AND state = 'available' ORDER BY iccid LIMIT 1")
      .get(profileType) as ProfileRow | undefined;
    return row === undefined ? undefined : this.profileFromRow(row);
  }

  async countProfiles(state?: ProfileState): Promise<number> {
    const row = (
      state === undefined
        ? this.db.prepare('SELECT count(*) AS n FROM profiles').get()
        : this.db.prepare('SELECT count(*) AS n FROM profiles WHERE state = ?').get(state)
    ) as { n: number };
    return row.n;
  }

  async setProfileState(change: ProfileStateChange): Promise<void> {
    const result = this.db
      .prepare('UPDATE profiles SET state = ?, updated_at = ? WHERE iccid = ? AND state = ?')
      .run(change.to, change.at, change.iccid, change.from);
    if (result.changes !== 1) throw new StaleState(change.iccid, change.from);
    this.db
      .prepare('INSERT INTO profile_history (iccid, from_state, to_state, event, at) VALUES (?, ?, ?, ?, ?)')
      .run(change.iccid, change.from, change.to, change.event, change.at);
  }

  async profileHistory(iccid: IccidDigits): Promise<ProfileStateChange[]> {
    const rows = this.db
      .prepare('SELECT from_state, to_state, event, at FROM profile_history WHERE iccid = ? ORDER BY id')
      .all(iccid) as { from_state: string; to_state: string; event: string; at: number }[];
    return rows.map((row) => ({
      iccid,
      from: storedState(row.from_state),
      to: storedState(row.to_state),
      event: row.event as ProfileEvent,
      at: row.at,
    }));
  }

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

  async findOpenOrdersByEid(eid: EidDigits): Promise<OrderRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM orders WHERE eid = ? AND closed_at IS NULL ORDER BY order_id')
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

  /** Ki and OPc opened; an erased profile (installed) has empty ones. */
  private async profileFromRow(row: ProfileRow): Promise<ProfileRecord> {
    const open = (column: 'ki' | 'opc'): Promise<Uint8Array> =>
      row[column].length === 0 ? Promise.resolve(new Uint8Array(0)) : this.sealer.open(new Uint8Array(row[column]), sealedColumn('profiles', column, row.iccid));
    return profileFromRow(row, await open('ki'), await open('opc'));
  }

  private async orderFromRow(row: OrderRow): Promise<OrderRecord> {
    const open = async (column: SealedOrderColumn): Promise<Uint8Array | undefined> => {
      const value = row[column];
      return value === null ? undefined : this.sealer.open(new Uint8Array(value), sealedColumn('orders', column, row.order_id));
    };
    const order = orderFromRow(row, await open('confirmation_code_hash'), await open('bound_profile_package'));
    const subscriberIdentityToken = await open('subscriber_identity_token');
    return subscriberIdentityToken === undefined ? order : { ...order, subscriberIdentityToken };
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

function storedState(value: string): ProfileState {
  if (!isProfileState(value)) throw new Error(`database holds an unknown profile state "${value}"`);
  return value;
}

function profileFromRow(row: ProfileRow, ki: Uint8Array, opc: Uint8Array): ProfileRecord {
  return {
    iccid: row.iccid as IccidDigits,
    profileType: row.profile_type,
    state: storedState(row.state),
    imsi: row.imsi,
    ki,
    opc,
    ...(row.metadata === null ? {} : { metadata: JSON.parse(row.metadata) as ProfileMetadata }),
    updatedAt: row.updated_at,
  };
}

function orderFromRow(row: OrderRow, confirmationCodeHash: Uint8Array | undefined, boundProfilePackage: Uint8Array | undefined): OrderRecord {
  const order: OrderRecord = {
    orderId: row.order_id,
    iccid: row.iccid as IccidDigits,
    releaseFlag: row.release_flag === 1,
    operatorId: row.operator_id,
    createdAt: row.created_at,
    confirmationCodeAttempts: row.confirmation_code_attempts,
    downloadAttempts: row.download_attempts,
  };
  if (row.eid !== null) order.eid = row.eid as EidDigits;
  if (row.matching_id !== null) order.matchingId = row.matching_id as MatchingId;
  if (confirmationCodeHash !== undefined) order.confirmationCodeHash = confirmationCodeHash;
  if (row.smds_address !== null) order.smdsAddress = row.smds_address;
  if (row.callback_url !== null) order.callbackUrl = row.callback_url;
  if (row.device_constraints !== null) order.deviceConstraints = JSON.parse(row.device_constraints) as DeviceConstraints;
  if (row.expires_at !== null) order.expiresAt = row.expires_at;
  if (row.closed_at !== null) order.closedAt = row.closed_at;
  if (row.close_reason !== null) order.closeReason = row.close_reason;
  if (row.bound_transaction_id !== null) order.boundTransactionId = row.bound_transaction_id;
  if (row.euicc_certificate !== null) order.euiccCertificate = new Uint8Array(row.euicc_certificate);
  if (row.anchor_event_id !== null) order.anchorEventId = row.anchor_event_id;
  if (row.bound_eid !== null) order.boundEid = row.bound_eid as EidDigits;
  if (row.bound_euicc_otpk !== null) order.boundEuiccOtpk = new Uint8Array(row.bound_euicc_otpk);
  if (boundProfilePackage !== undefined) order.boundProfilePackage = boundProfilePackage;
  if (row.reusable === 1) order.reusable = true;
  if (row.profile_policy_rules !== null) order.profilePolicyRules = JSON.parse(row.profile_policy_rules) as ProfilePolicyRule[];
  return order;
}

function toColumnValue(value: unknown): string | number | Buffer | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return JSON.stringify(value);
}

interface OutboxRow {
  id: number;
  target_url: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}

function outboxEntryOf(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    targetUrl: row.target_url,
    body: row.body,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
    ...(row.dead_at === null ? {} : { deadAt: row.dead_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}
