// SQLite schema of the anchor outbox. Hashes are BLOBs (bytes stay bytes); WAL with synchronous=FULL makes
// every committed `record()` survive a process crash and a power cut.
export const OUTBOX_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'];

export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS anchor_batch (
  batch_id     INTEGER PRIMARY KEY,
  root         BLOB NOT NULL UNIQUE,
  leaf_count   INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('built', 'submitted', 'anchored')),
  tx_hash      BLOB,
  batch_number INTEGER,
  block_number INTEGER,
  created_at   INTEGER NOT NULL,
  anchored_at  INTEGER
);
CREATE TABLE IF NOT EXISTS anchor_event (
  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id            BLOB NOT NULL UNIQUE,
  transaction_id_hash BLOB NOT NULL,
  subscriber          BLOB NOT NULL,
  profile_type_hash   BLOB NOT NULL,
  outcome             INTEGER NOT NULL,
  result_hash         BLOB NOT NULL,
  occurred_at         INTEGER NOT NULL,
  recorded_at         INTEGER NOT NULL,
  batch_id            INTEGER REFERENCES anchor_batch(batch_id),
  proof               BLOB
);
CREATE INDEX IF NOT EXISTS anchor_event_by_batch ON anchor_event(batch_id, seq);
`;

export interface EventRow {
  seq: number;
  event_id: Buffer;
  transaction_id_hash: Buffer;
  subscriber: Buffer;
  profile_type_hash: Buffer;
  outcome: number;
  result_hash: Buffer;
  occurred_at: number;
  recorded_at: number;
  batch_id: number | null;
  proof: Buffer | null;
}

export interface BatchRow {
  batch_id: number;
  root: Buffer;
  leaf_count: number;
  state: 'built' | 'submitted' | 'anchored';
  tx_hash: Buffer | null;
  batch_number: number | null;
  block_number: number | null;
  created_at: number;
  anchored_at: number | null;
}
