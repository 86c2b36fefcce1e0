// The operator's communication plans: the catalogue it offers and the plan active on each subscription
// (ICCID). The operator component's own SQLite store (<data>/operator/plans.db, 0600), beside its KYC store and
// like it never opened by our services. A subscription also keeps the identity commitment the onboarding answered
// for that ICCID: the plans API lets only the holder of that identity read the subscription (plansApi.ts).
import { preparePrivateFile } from '@zkesim/config';
import Database from 'better-sqlite3';

export interface Plan {
  readonly id: string;
  readonly name: string;
  /** Data allowance in megabytes per validity period; null = unlimited. */
  readonly dataMb: number | null;
  /** Voice allowance in minutes per validity period; null = unlimited. */
  readonly voiceMinutes: number | null;
  /** Price per validity period in minor units of `currency` (cents). */
  readonly priceMinor: number;
  /** ISO 4217 code. */
  readonly currency: string;
  readonly validityDays: number;
}

export interface ActivePlan {
  readonly iccid: string;
  readonly plan: Plan;
  /** When the current period started and ends (ms since the Unix epoch). */
  readonly since: number;
  readonly until: number;
}

export interface PlansStore {
  offers(): Plan[];
  /** Makes `planId` the active plan of the subscription `iccid`, owned by the identity `commitment` (decimal). */
  subscribe(iccid: string, planId: string, commitment: string, now: number): ActivePlan;
  /** The subscription's active plan and the commitment that may read it. */
  subscription(iccid: string): (ActivePlan & { commitment: string }) | undefined;
  /**
   * Ends the subscription: its row goes, with the commitment that linked the ICCID to the identity on chain (the
   * operator calls it when the line ends and on a right-to-erasure request); false if there was none.
   */
  end(iccid: string): boolean;
  close(): void;
}

/** The demo operator's catalogue, written on first open. */
export const DEMO_PLANS: readonly Plan[] = [
  { id: 'starter', name: 'Starter', dataMb: 5_000, voiceMinutes: 100, priceMinor: 990, currency: 'EUR', validityDays: 30 },
  { id: 'everyday', name: 'Everyday', dataMb: 20_000, voiceMinutes: null, priceMinor: 1_990, currency: 'EUR', validityDays: 30 },
  { id: 'traveller', name: 'Traveller', dataMb: 10_000, voiceMinutes: 60, priceMinor: 1_490, currency: 'EUR', validityDays: 14 },
];

export class UnknownPlan extends Error {
  override readonly name = 'UnknownPlan';
}

interface PlanRow {
  id: string;
  name: string;
  data_mb: number | null;
  voice_minutes: number | null;
  price_minor: number;
  currency: string;
  validity_days: number;
}

const planOf = (row: PlanRow): Plan => ({
  id: row.id, name: row.name, dataMb: row.data_mb, voiceMinutes: row.voice_minutes, priceMinor: row.price_minor, currency: row.currency, validityDays: row.validity_days,
});

const DAY_MS = 86_400_000;

export function openPlansStore(path: string): PlansStore {
  preparePrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // An ended subscription's commitment is overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, data_mb INTEGER, voice_minutes INTEGER,
    price_minor INTEGER NOT NULL, currency TEXT NOT NULL, validity_days INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS subscriptions (
    iccid TEXT PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id), commitment TEXT NOT NULL,
    since INTEGER NOT NULL, until INTEGER NOT NULL
  ) STRICT`);
  const insertPlan = db.prepare('INSERT OR IGNORE INTO plans VALUES (@id, @name, @dataMb, @voiceMinutes, @priceMinor, @currency, @validityDays)');
  for (const plan of DEMO_PLANS) insertPlan.run(plan);
  const planById = (id: string): Plan | undefined => {
    const row = db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row === undefined ? undefined : planOf(row);
  };
  return {
    offers: () => (db.prepare('SELECT * FROM plans ORDER BY price_minor').all() as PlanRow[]).map(planOf),
    subscribe(iccid, planId, commitment, now) {
      const plan = planById(planId);
      if (plan === undefined) throw new UnknownPlan(`no plan ${planId}`);
      const until = now + plan.validityDays * DAY_MS;
      db.prepare(`INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(iccid) DO UPDATE SET plan_id = excluded.plan_id, commitment = excluded.commitment, since = excluded.since, until = excluded.until`)
        .run(iccid, planId, commitment, now, until);
      return { iccid, plan, since: now, until };
    },
    subscription(iccid) {
      const row = db.prepare('SELECT * FROM subscriptions WHERE iccid = ?').get(iccid) as { plan_id: string; commitment: string; since: number; until: number } | undefined;
      const plan = row === undefined ? undefined : planById(row.plan_id);
      if (row === undefined || plan === undefined) return undefined;
      return { iccid, plan, since: row.since, until: row.until, commitment: row.commitment };
    },
    end(iccid) {
      const ended = db.prepare('DELETE FROM subscriptions WHERE iccid = ?').run(iccid).changes > 0;
      db.pragma('wal_checkpoint(TRUNCATE)');
      return ended;
    },
    close: () => db.close(),
  };
}
