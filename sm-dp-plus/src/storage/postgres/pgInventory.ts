// Inventory statements (InventoryTransaction) and the profile state for PostgreSQL: the SQLite engine's
// statements with row locks where a row is used once. Row shapes and their mapping are shared with SQLite
// (sqlite/rows.ts); sealed columns are opened by storage/sealedRows.ts.
import type pg from 'pg';
import { pgStatement } from '@zkesim/rsp-server';
import { StaleState, type NewProfile, type ProfileRecord, type ProfileSecrets, type ProfileStateChange, type ProfileTemplate } from '../../core/repository.js';
import type { ProfileEvent, ProfileState } from '../../core/profileLifecycle.js';
import type { IccidDigits } from '@zkesim/protocol';
import { sealedColumn, type SecretSealer } from '../../core/secretSealer.js';
import { ERASED, profileColumns, profileFromRow, storedState, type ProfileRow, type ProfileSecretsRow } from '../sqlite/rows.js';
import { openProfileSecrets } from '../sealedRows.js';

export class PgInventoryTransaction {
  constructor(
    protected readonly client: pg.ClientBase,
    protected readonly sealer: SecretSealer,
  ) {}

  protected async rows<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(pgStatement(text, values))).rows;
  }

  protected async row<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(text, values))[0];
  }

  /** Runs a statement; returns how many rows it changed. */
  protected async run(text: string, values: unknown[] = []): Promise<number> {
    return (await this.client.query(pgStatement(text, values))).rowCount ?? 0;
  }

  async putProfileTemplate(t: ProfileTemplate): Promise<void> {
    await this.run(
      `INSERT INTO profile_templates (profile_type, upp, source, service_provider_name, profile_name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (profile_type) DO UPDATE SET upp = excluded.upp, source = excluded.source,
         service_provider_name = excluded.service_provider_name, profile_name = excluded.profile_name`,
      [t.profileType, Buffer.from(t.upp), t.source, t.serviceProviderName, t.profileName],
    );
  }

  async getProfileTemplate(profileType: string): Promise<ProfileTemplate | undefined> {
    const row = await this.row<{ profile_type: string; upp: Buffer; source: string; service_provider_name: string; profile_name: string }>(
      'SELECT * FROM profile_templates WHERE profile_type = $1',
      [profileType],
    );
    if (row === undefined) return undefined;
    return { profileType: row.profile_type, upp: new Uint8Array(row.upp), source: row.source, serviceProviderName: row.service_provider_name, profileName: row.profile_name };
  }

  async listProfileTypes(): Promise<string[]> {
    return (await this.rows<{ profile_type: string }>('SELECT profile_type FROM profile_templates ORDER BY profile_type')).map((row) => row.profile_type);
  }

  async insertProfile(p: NewProfile, at: number): Promise<void> {
    const ki = await this.sealer.seal(p.ki, sealedColumn('profiles', 'ki', p.iccid));
    const opc = await this.sealer.seal(p.opc, sealedColumn('profiles', 'opc', p.iccid));
    await this.run('INSERT INTO profiles (iccid, profile_type, state, imsi, ki, opc, metadata, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      p.iccid, p.profileType, p.state, p.imsi, Buffer.from(ki), Buffer.from(opc), p.metadata === undefined ? null : JSON.stringify(p.metadata), at,
    ]);
  }

  async getProfile(iccid: IccidDigits): Promise<ProfileRecord | undefined> {
    const row = await this.row<ProfileRow>(`SELECT ${profileColumns} FROM profiles WHERE iccid = $1`, [iccid]);
    return row === undefined ? undefined : profileFromRow(row);
  }

  async getProfileSecrets(iccid: IccidDigits): Promise<ProfileSecrets | undefined> {
    const row = await this.row<ProfileSecretsRow>('SELECT iccid, ki, opc FROM profiles WHERE iccid = $1', [iccid]);
    return row === undefined ? undefined : openProfileSecrets(this.sealer, row);
  }

  /** One round trip: the profile's Ki and OPc and its orders' digests (those that still hold one). */
  async eraseProfileSecrets(iccid: IccidDigits): Promise<void> {
    await this.run(
      `WITH erased AS (UPDATE profiles SET ki = $1::bytea, opc = $1::bytea WHERE iccid = $2::text RETURNING iccid)
       UPDATE orders SET confirmation_code_hash = NULL WHERE iccid = $2::text AND confirmation_code_hash IS NOT NULL`,
      [ERASED, iccid],
    );
  }

  /**
   * The profile claim: the first Available profile of the type that no other transaction holds, locked until
   * this one ends (FOR UPDATE SKIP LOCKED), so concurrent orders take different profiles instead of racing
   * for one; the state change that follows is still the compare-and-set of the contract.
   */
  async findAvailableProfile(profileType: string): Promise<ProfileRecord | undefined> {
    const row = await this.row<ProfileRow>(
      `SELECT ${profileColumns} FROM profiles WHERE profile_type = $1 AND state = 'available' ORDER BY iccid LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [profileType],
    );
    return row === undefined ? undefined : profileFromRow(row);
  }

  async countProfiles(state?: ProfileState): Promise<number> {
    const row =
      state === undefined
        ? await this.row<{ n: number }>('SELECT count(*) AS n FROM profiles')
        : await this.row<{ n: number }>('SELECT count(*) AS n FROM profiles WHERE state = $1', [state]);
    return Number(row?.n ?? 0);
  }

  /**
   * Compare-and-set (storage contract 3): the UPDATE takes the row lock; a concurrent transaction waits for it
   * and, READ COMMITTED re-reading the row, finds the state changed and gets StaleState.
   */
  async setProfileState(change: ProfileStateChange): Promise<void> {
    // One round trip: the history row is written only when the compare-and-set changed the profile.
    const changed = await this.run(
      `WITH changed AS (UPDATE profiles SET state = $1::text, updated_at = $2::bigint WHERE iccid = $3::text AND state = $4::text RETURNING iccid)
       INSERT INTO profile_history (iccid, from_state, to_state, event, at) SELECT iccid, $4::text, $1::text, $5::text, $2::bigint FROM changed`,
      [change.to, change.at, change.iccid, change.from, change.event],
    );
    if (changed !== 1) throw new StaleState(change.iccid, change.from);
  }

  async profileHistory(iccid: IccidDigits): Promise<ProfileStateChange[]> {
    const rows = await this.rows<{ from_state: string; to_state: string; event: string; at: number }>(
      'SELECT from_state, to_state, event, at FROM profile_history WHERE iccid = $1 ORDER BY id',
      [iccid],
    );
    return rows.map((row) => ({ iccid, from: storedState(row.from_state), to: storedState(row.to_state), event: row.event as ProfileEvent, at: row.at }));
  }
}
