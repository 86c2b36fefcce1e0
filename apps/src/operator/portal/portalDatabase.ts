// The portal's own SQLite file beside the operator's KYC store (<dataDir>/operator/portal.db, 0600): staff
// accounts, sessions, sign-in failures, and the orders with the ES2+ progress events the SM-DP+ sent about them.
// Like the KYC store it is the operator's, never opened by a service of ours.
import { preparePrivateFile } from '@zkesim/config';
import Database from 'better-sqlite3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS staff (
  username TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk')),
  password_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES staff(username) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS source_failures (
  source TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS orders (
  iccid TEXT PRIMARY KEY,
  matching_id TEXT,
  kyc_reference TEXT,
  profile_type TEXT,
  eid TEXT,
  activation_code TEXT,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS orders_by_update ON orders(updated_at DESC);
CREATE TABLE IF NOT EXISTS order_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL UNIQUE,
  iccid TEXT NOT NULL,
  notification_point INTEGER NOT NULL,
  status TEXT NOT NULL,
  subject_code TEXT,
  reason_code TEXT,
  message TEXT,
  occurred_at TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS order_events_by_iccid ON order_events(iccid, seq);
`;

export function openPortalDatabase(path: string): Database.Database {
  preparePrivateFile(path);
  const db = new Database(path);
  // Erased orders leave no bytes behind (right to erasure), and two processes (the stack, the staff CLI) may share it.
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
