// What only the SQLite engine has (its WAL file, its own open); the storage contract itself runs on every engine in ../repositoryContract.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteRepository } from './sqliteRepository.js';
import { openRepository } from '../openRepository.js';
import { iccidDigits } from '@zkesim/protocol';
import { migrations } from './migrations.js';

/** The version after every migration (not a literal, so that a new migration does not edit this test). */
const latestSchemaVersion = migrations.at(-1)?.version;
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { randomBytes } from 'node:crypto';

const sealer = new AesGcmSealer(randomBytes(32));

const iccid = iccidDigits('8900000000000000001');
let dir: string;
let repo: SqliteRepository;

async function seed(r: SqliteRepository): Promise<void> {
  await r.transaction(async (tx) => {
    await tx.putProfileTemplate({
      profileType: 'demo',
      upp: Uint8Array.of(0xa0, 0x00),
      source: 'test',
      serviceProviderName: 'SP',
      profileName: 'Demo',
    });
    await tx.insertProfile(
      { iccid, profileType: 'demo', state: 'available', imsi: '001010000000001', ki: new Uint8Array(16), opc: new Uint8Array(16) },
      1,
    );
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-sqlite-'));
  repo = new SqliteRepository({ path: join(dir, 'smdp.db'), sealer });
  await seed(repo);
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite repository', () => {
  it('opens in WAL mode with all migrations applied', () => {
    expect(repo.schemaVersion()).toBe(latestSchemaVersion);
    const raw = new Database(join(dir, 'smdp.db'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

});

describe('openRepository', () => {
  it('opens the configured SQLite file, creating its folder', async () => {
    const opened = await openRepository({ kind: 'sqlite', path: join(dir, 'nested', 'folder', 'smdp.db') }, sealer);
    try {
      expect(await opened.health()).toEqual({ engine: 'sqlite', schemaVersion: latestSchemaVersion });
      expect(await opened.transaction((tx) => tx.countProfiles())).toBe(0);
    } finally {
      await opened.close();
    }
  });
});
