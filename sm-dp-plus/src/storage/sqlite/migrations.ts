// Schema migrations for the SQLite store, applied in order by rsp-server's applyMigrations; `PRAGMA user_version`
// records the last one. Never edit a released migration: add a new one.
import type { Migration } from '@zkesim/rsp-server';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'profiles, templates, orders, state history, operator outbox, IMEI blocklist',
    sql: `
      CREATE TABLE profile_templates (
        profile_type TEXT PRIMARY KEY,
        upp BLOB NOT NULL,
        source TEXT NOT NULL,
        service_provider_name TEXT NOT NULL,
        profile_name TEXT NOT NULL
      );
      CREATE TABLE profiles (
        iccid TEXT PRIMARY KEY,
        profile_type TEXT NOT NULL REFERENCES profile_templates(profile_type),
        state TEXT NOT NULL,
        imsi TEXT NOT NULL,
        ki BLOB NOT NULL,
        opc BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX profiles_by_type_state ON profiles(profile_type, state);
      CREATE TABLE profile_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        iccid TEXT NOT NULL REFERENCES profiles(iccid),
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX profile_history_by_iccid ON profile_history(iccid);
      CREATE TABLE orders (
        order_id INTEGER PRIMARY KEY AUTOINCREMENT,
        iccid TEXT NOT NULL REFERENCES profiles(iccid),
        eid TEXT,
        matching_id TEXT,
        confirmation_code_hash BLOB,
        release_flag INTEGER NOT NULL,
        smds_address TEXT,
        operator_id TEXT NOT NULL,
        callback_url TEXT,
        device_constraints TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        confirmation_code_attempts INTEGER NOT NULL DEFAULT 0,
        download_attempts INTEGER NOT NULL DEFAULT 0,
        closed_at INTEGER,
        close_reason TEXT
      );
      -- One open order per profile (a profile is bound to one order only), MatchingIDs unique for ever.
      CREATE UNIQUE INDEX orders_open_by_iccid ON orders(iccid) WHERE closed_at IS NULL;
      CREATE UNIQUE INDEX orders_by_matching_id ON orders(matching_id) WHERE matching_id IS NOT NULL;
      CREATE INDEX orders_open_by_eid ON orders(eid) WHERE closed_at IS NULL;
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target_url TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
      CREATE TABLE blocked_imeis (
        imei TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        blocked_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'remember the bound download (transactionId, eUICC certificate) so its installation result is accepted after a restart',
    sql: `
      ALTER TABLE orders ADD COLUMN bound_transaction_id TEXT;
      ALTER TABLE orders ADD COLUMN euicc_certificate BLOB;
      CREATE INDEX orders_open_by_transaction ON orders(bound_transaction_id) WHERE closed_at IS NULL;
    `,
  },
  {
    version: 3,
    description: 'remember the chain anchor record of each installation result, so an order shows its anchor status',
    sql: `
      ALTER TABLE orders ADD COLUMN anchor_event_id TEXT;
    `,
  },
  {
    version: 4,
    description: 'chain anchor records of installation results, written in the same transaction as the result and drained into the chain outbox',
    sql: `
      CREATE TABLE anchor_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id INTEGER NOT NULL REFERENCES orders(order_id),
        event_id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        drained_at INTEGER
      );
      CREATE INDEX anchor_records_pending ON anchor_records(id) WHERE drained_at IS NULL;
    `,
  },
  {
    version: 5,
    description: 'the binding of an order (its eUICC, one-time key and Bound Profile Package, kept for a retry) and open orders by expiry',
    sql: `
      ALTER TABLE orders ADD COLUMN bound_eid TEXT;
      ALTER TABLE orders ADD COLUMN bound_euicc_otpk BLOB;
      -- SECRET: the Bound Profile Package of the binding (the profile under the session keys of
      -- otPK.EUICC.ECKA and otSK.DP.ECKA; otSK.DP.ECKA itself is never stored). Kept only while the order is
      -- open and bound, so that a retry can reuse it (SGP.22 v2.2.2 §3.1.3); cleared when the order closes.
      ALTER TABLE orders ADD COLUMN bound_profile_package BLOB;
      -- The expiry sweep closes open orders past their time, bound or not.
      CREATE INDEX orders_open_by_expiry ON orders(expires_at) WHERE closed_at IS NULL;
    `,
  },
  {
    version: 6,
    description: 'operator-given profile metadata (icon, class, owner, policy rules, notifications), policy rules set by an order, lab-only reusable orders',
    sql: `
      ALTER TABLE profiles ADD COLUMN metadata TEXT;
      ALTER TABLE orders ADD COLUMN profile_policy_rules TEXT;
      ALTER TABLE orders ADD COLUMN reusable INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 7,
    description: 'dead-letter state of outbox entries: refused by the peer or out of attempts, kept and listed until requeued',
    sql: `
      ALTER TABLE outbox ADD COLUMN dead_at INTEGER;
      DROP INDEX outbox_due;
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
    `,
  },
  {
    version: 8,
    description:
      'Ki, OPc and confirmation-code digests sealed at rest (SECURITY.md): rows written before are marked unsealed, and SqliteRepository seals them at open (sealPlaintextRows)',
    sql: `
      ALTER TABLE profiles ADD COLUMN secrets_sealed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN secrets_sealed INTEGER NOT NULL DEFAULT 0;
      -- A constant sealed with the store's key, so that another key is noticed at open, not at the first read.
      CREATE TABLE sealer_check (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BLOB NOT NULL);
    `,
  },
  {
    version: 9,
    description: 'the subscriber identity an order carries into its profile (ZK identity layer), sealed, kept only while the order is open',
    sql: `
      -- SECRET, sealed like the other order secrets: the DER of a SubscriberIdentityToken
      -- (protocol/asn1/ZkesimIdentity.asn), identity secret included; personalisation adds it to the profile as
      -- a SAIP PE-NonStandard. Set to NULL when the order closes (installation result, cancel, expiry).
      ALTER TABLE orders ADD COLUMN subscriber_identity_token BLOB;
    `,
  },
  {
    version: 10,
    description: 'the activity log: unused activity tags of a profile whose order carried a subscriber identity, for its later events (no commitment kept)',
    sql: `
      -- Tags first_index .. of the profile, 32 bytes each, concatenated; the next event takes tag next_index.
      -- Derived from the identity secret at the installation result (contracts/src/identity/activity.ts):
      -- unlinkable to the commitment without that secret. Deleted by the subscriber's erasure.
      CREATE TABLE profile_activity (
        iccid TEXT PRIMARY KEY REFERENCES profiles(iccid),
        first_index INTEGER NOT NULL,
        next_index INTEGER NOT NULL,
        tags BLOB NOT NULL
      );
    `,
  },
  {
    version: 11,
    description: 'orders by ICCID (as on PostgreSQL): the latest order of a profile and the erasure of its digests without a scan of all orders',
    sql: `
      CREATE INDEX orders_by_iccid ON orders(iccid, order_id);
    `,
  },
  {
    version: 12,
    description:
      'fewer pages written per download (docs/PERFORMANCE.md, "sqlite"): state history in one b-tree by ICCID, outbox and anchor records without AUTOINCREMENT (no sqlite_sequence write per insert), indexes that a download\'s state changes and closing do not touch',
    sql: `
      -- A profile's history kept in the order of (ICCID, id) itself (WITHOUT ROWID): an insert writes one
      -- b-tree, where a rowid table wrote its own page and its ICCID index's. id orders one profile's changes
      -- (the next is the profile's largest + 1; the rows copied here keep theirs, which are already in order).
      CREATE TABLE profile_history_v12 (
        iccid TEXT NOT NULL REFERENCES profiles(iccid),
        id INTEGER NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (iccid, id)
      ) WITHOUT ROWID;
      INSERT INTO profile_history_v12 (iccid, id, from_state, to_state, event, at)
        SELECT iccid, id, from_state, to_state, event, at FROM profile_history;
      DROP TABLE profile_history;
      ALTER TABLE profile_history_v12 RENAME TO profile_history;
      -- Outbox entries and anchor records are deleted only all at once (resetOrders), so max(id) + 1 keeps
      -- their ids increasing as AUTOINCREMENT did, which also wrote its counter in sqlite_sequence at every insert.
      CREATE TABLE outbox_v12 (
        id INTEGER PRIMARY KEY,
        target_url TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT,
        dead_at INTEGER
      );
      INSERT INTO outbox_v12 (id, target_url, body, attempts, next_attempt_at, created_at, delivered_at, last_error, dead_at)
        SELECT id, target_url, body, attempts, next_attempt_at, created_at, delivered_at, last_error, dead_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v12 RENAME TO outbox;
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE TABLE anchor_records_v12 (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(order_id),
        event_id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        drained_at INTEGER
      );
      INSERT INTO anchor_records_v12 (id, order_id, event_id, payload, created_at, drained_at)
        SELECT id, order_id, event_id, payload, created_at, drained_at FROM anchor_records;
      DROP TABLE anchor_records;
      ALTER TABLE anchor_records_v12 RENAME TO anchor_records;
      CREATE INDEX anchor_records_pending ON anchor_records(id) WHERE drained_at IS NULL;
      DELETE FROM sqlite_sequence WHERE name IN ('profile_history', 'outbox', 'anchor_records');
      -- An order keeps its bound transactionId when it closes, so an index of every bound order is not touched
      -- by the closing (the open orders' index was); the lookups still ask for closed_at IS NULL.
      DROP INDEX orders_open_by_transaction;
      CREATE INDEX orders_by_transaction ON orders(bound_transaction_id) WHERE bound_transaction_id IS NOT NULL;
      -- An open order is looked up by EID only when it has no MatchingID (the default SM-DP+ address use case,
      -- findOpenOrdersByEidWithoutMatchingId): an order given a MatchingID leaves the index then, and closing it
      -- does not touch it.
      DROP INDEX orders_open_by_eid;
      CREATE INDEX orders_default_by_eid ON orders(eid, order_id) WHERE closed_at IS NULL AND matching_id IS NULL;
      -- Only the available profiles are looked up by type (findAvailableProfile): a download's state changes
      -- (released, downloaded, installed) no longer move an index entry.
      DROP INDEX profiles_by_type_state;
      CREATE INDEX profiles_available ON profiles(profile_type, iccid) WHERE state = 'available';
    `,
  },
];
