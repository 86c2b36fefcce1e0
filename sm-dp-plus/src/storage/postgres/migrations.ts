// Schema migrations of the SM-DP+'s PostgreSQL store, applied in order by rsp-server's applyPgMigrations and
// recorded in `schema_versions`. Its own history, apart from the SQLite engine's: version 1 is the SQLite
// schema as of its version 10, with every secret column sealed from the start (SECURITY.md). Row shapes are
// the SQLite engine's (storage/sqlite/rows.ts maps both): times are BIGINT milliseconds, flags INTEGER 0/1.
// Never edit a released migration: add a new one.
import type { Migration } from '@zkesim/rsp-server';

export const pgMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'profiles, templates, orders, state history, outbox, IMEI blocklist, anchor records, activity tags, sealer check',
    sql: `
      CREATE TABLE profile_templates (
        profile_type TEXT PRIMARY KEY,
        upp BYTEA NOT NULL,
        source TEXT NOT NULL,
        service_provider_name TEXT NOT NULL,
        profile_name TEXT NOT NULL
      );
      CREATE TABLE profiles (
        iccid TEXT PRIMARY KEY,
        profile_type TEXT NOT NULL REFERENCES profile_templates(profile_type),
        state TEXT NOT NULL,
        imsi TEXT NOT NULL,
        -- SECRET, sealed (core/secretSealer.ts); empty once the profile is installed.
        ki BYTEA NOT NULL,
        opc BYTEA NOT NULL,
        metadata TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX profiles_by_type_state ON profiles(profile_type, state);
      CREATE TABLE profile_history (
        id BIGSERIAL PRIMARY KEY,
        iccid TEXT NOT NULL REFERENCES profiles(iccid),
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX profile_history_by_iccid ON profile_history(iccid);
      CREATE TABLE orders (
        order_id BIGSERIAL PRIMARY KEY,
        iccid TEXT NOT NULL REFERENCES profiles(iccid),
        eid TEXT,
        matching_id TEXT,
        confirmation_code_hash BYTEA,
        release_flag INTEGER NOT NULL,
        smds_address TEXT,
        operator_id TEXT NOT NULL,
        callback_url TEXT,
        device_constraints TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        confirmation_code_attempts INTEGER NOT NULL DEFAULT 0,
        download_attempts INTEGER NOT NULL DEFAULT 0,
        closed_at BIGINT,
        close_reason TEXT,
        bound_transaction_id TEXT,
        euicc_certificate BYTEA,
        anchor_event_id TEXT,
        bound_eid TEXT,
        bound_euicc_otpk BYTEA,
        -- SECRET, sealed: kept only while the order is open, for a retry (SGP.22 v2.2.2 §3.1.3).
        bound_profile_package BYTEA,
        reusable INTEGER NOT NULL DEFAULT 0,
        profile_policy_rules TEXT,
        -- SECRET, sealed: the SubscriberIdentityToken the order carries into its profile; NULL once closed.
        subscriber_identity_token BYTEA
      );
      -- One open order per profile, MatchingIDs unique for ever (storage contract 5).
      CREATE UNIQUE INDEX orders_open_by_iccid ON orders(iccid) WHERE closed_at IS NULL;
      CREATE UNIQUE INDEX orders_by_matching_id ON orders(matching_id) WHERE matching_id IS NOT NULL;
      CREATE INDEX orders_open_by_eid ON orders(eid) WHERE closed_at IS NULL;
      CREATE INDEX orders_open_by_transaction ON orders(bound_transaction_id) WHERE closed_at IS NULL;
      CREATE INDEX orders_open_by_expiry ON orders(expires_at) WHERE closed_at IS NULL;
      CREATE INDEX orders_by_iccid ON orders(iccid, order_id);
      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        target_url TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        delivered_at BIGINT,
        dead_at BIGINT,
        last_error TEXT,
        -- Set by the process that claimed the entry for sending (dueOutbox), until this time.
        claimed_until BIGINT
      );
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE INDEX outbox_pending_by_target ON outbox(target_url, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE TABLE blocked_imeis (
        imei TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        blocked_at BIGINT NOT NULL
      );
      CREATE TABLE anchor_records (
        id BIGSERIAL PRIMARY KEY,
        order_id BIGINT NOT NULL REFERENCES orders(order_id),
        event_id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        drained_at BIGINT
      );
      CREATE INDEX anchor_records_pending ON anchor_records(id) WHERE drained_at IS NULL;
      CREATE TABLE profile_activity (
        iccid TEXT PRIMARY KEY REFERENCES profiles(iccid),
        first_index INTEGER NOT NULL,
        next_index INTEGER NOT NULL,
        tags BYTEA NOT NULL
      );
      CREATE TABLE sealer_check (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BYTEA NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'ES9+ download sessions and used euiccChallenges, shared by every process on the database',
    sql: `
      -- What the SM-DP+ remembers between the calls of one download (core/downloadSession.ts), so that any
      -- process serves any call. No session key is kept: otSK.DP.ECKA never leaves getBoundProfilePackage.
      CREATE TABLE download_sessions (
        transaction_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        data JSONB NOT NULL,
        source TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX download_sessions_by_expiry ON download_sessions(expires_at);
      CREATE INDEX download_sessions_unauthenticated ON download_sessions(source, created_at) WHERE state = 'initiated';
      -- One use of each euiccChallenge (SGP.22 §3.1.2), remembered for the session lifetime.
      CREATE TABLE used_challenges (
        challenge TEXT PRIMARY KEY,
        until BIGINT NOT NULL
      );
      CREATE INDEX used_challenges_by_expiry ON used_challenges(until);
    `,
  },
];
