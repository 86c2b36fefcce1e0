// The SM-DP+'s SQLite files hold sealed Ki/OPc, orders and EIDs: the database and the -wal and -shm files SQLite
// makes beside it (which take the database file's mode when they are made) are the SM-DP+'s alone, 0600, under
// the usual umask 022, whether the store is opened through openRepository or as the repository class.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { openRepository } from '../openRepository.js';
import { SqliteRepository } from './sqliteRepository.js';

const sealer = new AesGcmSealer(randomBytes(32));
let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-modes-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

it.each([
  ['the SQLite repository', async (path: string) => new SqliteRepository({ path, sealer })],
  ['openRepository', (path: string) => openRepository({ kind: 'sqlite', path }, sealer)],
])('%s makes the database, -wal and -shm files 0600 under umask 022', async (_name, open) => {
  const path = join(dir, 'smdp.db');
  const repository = await open(path);
  try {
    const id = await repository.transaction((tx) => tx.enqueueOutbox({ targetUrl: 'https://operator.example/callback', body: '{}', at: 0 }));
    expect(await repository.transaction((tx) => tx.pendingOutboxCount())).toBe(1);
    expect(id).toBeGreaterThan(0);
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
  } finally {
    await repository.close();
  }
});
