// The operator's view of its orders: the ones the portal placed (with the KYC reference they were placed for)
// and the ES2+ HandleDownloadProgressInfo events the SM-DP+ sent about them (SGP.22 v2.2.2 §5.3.5), in the
// portal database. Each event is stored once per functionCallIdentifier (the SM-DP+ delivers at least once and
// fixes the identifier when it queues the callback), and a success moves the order's state the way the SM-DP+'s
// own profile lifecycle moved (sm-dp-plus core/profileLifecycle.ts): the callback is queued in the same
// transaction as the state change it reports. A failure says nothing certain about the state (a wrong
// confirmation code leaves the order open, a final one closes it), so the receiver asks the SM-DP+ for it
// (`setState`). Listeners hear about every change (the Orders page's live updates).
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import { NotificationPoint, type ProfileState } from '@zkesim/sm-dp-plus';

export interface OrderRow {
  iccid: string;
  matchingId?: string;
  kycReference?: string;
  profileType?: string;
  eid?: string;
  activationCode?: string;
  state: ProfileState;
  createdAt: number;
  updatedAt: number;
}

export interface OrderEvent {
  callId: string;
  iccid: string;
  notificationPoint: number;
  status: 'Executed-Success' | 'Failed' | string;
  subjectCode?: string;
  reasonCode?: string;
  message?: string;
  occurredAt: string;
  receivedAt: number;
}

/**
 * What the SM-DP+'s notification points mean (their numbering is the SM-DP+'s reading of §5.3.5, see its
 * NotificationPoint), and the profile state a success leads to in its lifecycle.
 */
export const notificationPoints: Readonly<Record<number, { label: string; state?: ProfileState }>> = {
  [NotificationPoint.eligibilityCheck]: { label: 'eligibility and retry-limit check' },
  [NotificationPoint.confirmationFailure]: { label: 'confirmation code check' },
  [NotificationPoint.bppDownload]: { label: 'Bound Profile Package download', state: 'downloaded' },
  [NotificationPoint.bppInstallation]: { label: 'profile installation', state: 'installed' },
  [NotificationPoint.sessionCancelled]: { label: 'session cancelled' },
  [NotificationPoint.profileEnabled]: { label: 'profile enabled', state: 'enabled' },
  [NotificationPoint.profileDisabled]: { label: 'profile disabled', state: 'disabled' },
  [NotificationPoint.profileDeleted]: { label: 'profile deleted', state: 'deleted' },
};

interface Row {
  iccid: string;
  matching_id: string | null;
  kyc_reference: string | null;
  profile_type: string | null;
  eid: string | null;
  activation_code: string | null;
  state: string;
  created_at: number;
  updated_at: number;
}

const orderOf = (row: Row): OrderRow => ({
  iccid: row.iccid,
  ...(row.matching_id === null ? {} : { matchingId: row.matching_id }),
  ...(row.kyc_reference === null ? {} : { kycReference: row.kyc_reference }),
  ...(row.profile_type === null ? {} : { profileType: row.profile_type }),
  ...(row.eid === null ? {} : { eid: row.eid }),
  ...(row.activation_code === null ? {} : { activationCode: row.activation_code }),
  state: row.state as OrderRow['state'],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface OrderPage {
  orders: OrderRow[];
  total: number;
}

export class OrderLog {
  readonly changes = new EventEmitter<{ change: [OrderRow] }>();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** An order the portal placed: ConfirmOrder released it (SGP.22 §5.3.2), so it is `released`. */
  placed(order: { iccid: string; matchingId: string; kycReference: string; profileType: string; eid?: string; activationCode: string }): OrderRow {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO orders (iccid, matching_id, kyc_reference, profile_type, eid, activation_code, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'released', ?, ?)
         ON CONFLICT(iccid) DO UPDATE SET matching_id = excluded.matching_id, kyc_reference = excluded.kyc_reference,
           profile_type = excluded.profile_type, eid = excluded.eid, activation_code = excluded.activation_code`,
      )
      .run(order.iccid, order.matchingId, order.kycReference, order.profileType, order.eid ?? null, order.activationCode, now, now);
    const row = this.get(order.iccid) as OrderRow;
    this.changes.emit('change', row);
    return row;
  }

  /** Stores one progress event (false if this callback was already stored) and moves the order's state. */
  received(event: Omit<OrderEvent, 'receivedAt'>, profileType: string | undefined, eid: string | undefined): boolean {
    const now = this.now();
    const next = event.status === 'Executed-Success' ? notificationPoints[event.notificationPoint]?.state : undefined;
    const stored = this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          `INSERT INTO order_events (call_id, iccid, notification_point, status, subject_code, reason_code, message, occurred_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(call_id) DO NOTHING`,
        )
        .run(event.callId, event.iccid, event.notificationPoint, event.status, event.subjectCode ?? null, event.reasonCode ?? null, event.message ?? null, event.occurredAt, now);
      if (inserted.changes === 0) return false;
      // An order placed elsewhere (ES2+ by another tool of the operator) appears with its first event.
      this.db
        .prepare(`INSERT INTO orders (iccid, profile_type, eid, state, created_at, updated_at) VALUES (?, ?, ?, 'released', ?, ?) ON CONFLICT(iccid) DO NOTHING`)
        .run(event.iccid, profileType ?? null, eid ?? null, now, now);
      this.db.prepare('UPDATE orders SET state = COALESCE(?, state), updated_at = ? WHERE iccid = ?').run(next ?? null, now, event.iccid);
      return true;
    })();
    if (stored) this.changes.emit('change', this.get(event.iccid) as OrderRow);
    return stored;
  }

  /** The state as the SM-DP+ reports it (its operator API), when a callback left it uncertain. */
  setState(iccid: string, state: ProfileState): void {
    const changed = this.db.prepare('UPDATE orders SET state = ?, updated_at = ? WHERE iccid = ? AND state <> ?').run(state, this.now(), iccid, state).changes > 0;
    if (changed) this.changes.emit('change', this.get(iccid) as OrderRow);
  }

  get(iccid: string): OrderRow | undefined {
    const row = this.db.prepare('SELECT * FROM orders WHERE iccid = ?').get(iccid) as Row | undefined;
    return row === undefined ? undefined : orderOf(row);
  }

  /** Orders whose ICCID, matching ID, EID, state or profile type contain `search`, newest change first. */
  list(search: string, offset: number, limit: number): OrderPage {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = ['iccid', 'matching_id', 'eid', 'state', 'profile_type'].map((column) => `${column} LIKE @pattern ESCAPE '\\'`).join(' OR ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM orders WHERE ${where}`).get({ pattern }) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM orders WHERE ${where} ORDER BY updated_at DESC, iccid LIMIT @limit OFFSET @offset`).all({ pattern, limit, offset }) as Row[];
    return { orders: rows.map(orderOf), total };
  }

  events(iccid: string): OrderEvent[] {
    const rows = this.db.prepare('SELECT * FROM order_events WHERE iccid = ? ORDER BY seq').all(iccid) as {
      call_id: string; iccid: string; notification_point: number; status: string; subject_code: string | null; reason_code: string | null; message: string | null;
      occurred_at: string; received_at: number;
    }[];
    return rows.map((row) => ({
      callId: row.call_id, iccid: row.iccid, notificationPoint: row.notification_point, status: row.status,
      ...(row.subject_code === null ? {} : { subjectCode: row.subject_code }),
      ...(row.reason_code === null ? {} : { reasonCode: row.reason_code }),
      ...(row.message === null ? {} : { message: row.message }),
      occurredAt: row.occurred_at, receivedAt: row.received_at,
    }));
  }

  /** Orders placed for this KYC reference. */
  ordersOf(kycReference: string): OrderRow[] {
    return (this.db.prepare('SELECT * FROM orders WHERE kyc_reference = ? ORDER BY created_at').all(kycReference) as Row[]).map(orderOf);
  }

  /** Right to erasure: the subscriber's orders and their events go; returns how many of each. */
  eraseSubscriber(kycReference: string): { orders: number; events: number } {
    return this.db.transaction(() => {
      const iccids = this.ordersOf(kycReference).map((order) => order.iccid);
      let events = 0;
      for (const iccid of iccids) events += this.db.prepare('DELETE FROM order_events WHERE iccid = ?').run(iccid).changes;
      const orders = this.db.prepare('DELETE FROM orders WHERE kyc_reference = ?').run(kycReference).changes;
      return { orders, events };
    })();
  }
}
