// Inventory statements (InventoryTransaction): profile templates, profiles and their state history.
import type { StatementSource } from './statementCache.js';
import { StaleState, type NewProfile, type ProfileRecord, type ProfileSecrets, type ProfileStateChange, type ProfileTemplate } from '../../core/repository.js';
import type { ProfileEvent, ProfileState } from '../../core/profileLifecycle.js';
import type { IccidDigits } from '@zkesim/protocol';
import { sealedColumn, type SecretSealer } from '../../core/secretSealer.js';
import { ERASED, profileColumns, profileFromRow, storedState, type ProfileRow, type ProfileSecretsRow } from './rows.js';
import { openProfileSecrets } from '../sealedRows.js';

export class SqliteInventoryTransaction {
  /** Ki, OPc and confirmation-code digests are sealed by `sealer` before they are written (SECURITY.md). */
  constructor(
    protected readonly db: StatementSource,
    protected readonly sealer: SecretSealer,
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

  async insertProfile(p: NewProfile, at: number): Promise<void> {
    const ki = await this.sealer.seal(p.ki, sealedColumn('profiles', 'ki', p.iccid));
    const opc = await this.sealer.seal(p.opc, sealedColumn('profiles', 'opc', p.iccid));
    this.db
      .prepare('INSERT INTO profiles (iccid, profile_type, state, imsi, ki, opc, metadata, updated_at, secrets_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)')
      .run(p.iccid, p.profileType, p.state, p.imsi, Buffer.from(ki), Buffer.from(opc), p.metadata === undefined ? null : JSON.stringify(p.metadata), at);
  }

  async getProfile(iccid: IccidDigits): Promise<ProfileRecord | undefined> {
    const row = this.db.prepare(`SELECT ${profileColumns} FROM profiles WHERE iccid = ?`).get(iccid) as ProfileRow | undefined;
    return row === undefined ? undefined : profileFromRow(row);
  }

  async getProfileSecrets(iccid: IccidDigits): Promise<ProfileSecrets | undefined> {
    const row = this.db.prepare('SELECT iccid, ki, opc FROM profiles WHERE iccid = ?').get(iccid) as ProfileSecretsRow | undefined;
    return row === undefined ? undefined : openProfileSecrets(this.sealer, row);
  }

  async eraseProfileSecrets(iccid: IccidDigits): Promise<void> {
    // secure_delete (set at open) overwrites the freed ciphertext in the file as well. The orders of the ICCID are
    // found through orders_by_iccid (migration 11); only rows that still hold a digest are written.
    this.db.prepare('UPDATE profiles SET ki = ?, opc = ? WHERE iccid = ?').run(ERASED, ERASED, iccid);
    this.db.prepare('UPDATE orders SET confirmation_code_hash = NULL WHERE iccid = ? AND confirmation_code_hash IS NOT NULL').run(iccid);
  }

  async findAvailableProfile(profileType: string): Promise<ProfileRecord | undefined> {
    const row = this.db
      .prepare(`SELECT ${profileColumns} FROM profiles WHERE profile_type = ? AND state = 'available' ORDER BY iccid LIMIT 1`)
      .get(profileType) as ProfileRow | undefined;
    return row === undefined ? undefined : profileFromRow(row);
  }

  async countProfiles(state?: ProfileState): Promise<number> {
    const row = (
      state === undefined
        ? this.db.prepare('SELECT count(*) AS n FROM profiles').get()
        : state === 'available'
          ? // The literal lets SQLite count in the partial index of available profiles (migration 12).
            this.db.prepare("SELECT count(*) AS n FROM profiles WHERE state = 'available'").get()
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
      // id numbers the profile's changes in order (migration 12: the table is ordered by ICCID and id).
      .prepare(
        `INSERT INTO profile_history (iccid, id, from_state, to_state, event, at)
         VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM profile_history WHERE iccid = ?), ?, ?, ?, ?)`,
      )
      .run(change.iccid, change.iccid, change.from, change.to, change.event, change.at);
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
}
