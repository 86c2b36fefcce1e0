// The SM-DP+'s SQLite files hold sealed Ki/OPc, orders and EIDs: the database and the -wal and -shm files SQLite
// makes beside it (which take the database file's mode when they are made) are the SM-DP+'s alone, 0600, under
// the usual umask 022, whether the store is opened through openRepository or as the repository class.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sqliteFileModes, umask022Folder } from '@zkesim/testing/files/umaskFolder';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { openRepository } from '../openRepository.js';
import { SqliteRepository } from './sqliteRepository.js';

const sealer = new AesGcmSealer(randomBytes(32));
const folder = umask022Folder('smdp-modes-');

it.each([
  ['the SQLite repository', async (path: string) => new SqliteRepository({ path, sealer })],
  ['openRepository', (path: string) => openRepository({ kind: 'sqlite', path }, sealer)],
])('%s makes the database, -wal and -shm files 0600 under umask 022', async (_name, open) => {
  const path = join(folder(), 'smdp.db');
  const repository = await open(path);
  try {
    const id = await repository.transaction((tx) => tx.enqueueOutbox({ targetUrl: 'https://operator.example/callback', body: '{}', at: 0 }));
    expect(await repository.transaction((tx) => tx.pendingOutboxCount())).toBe(1);
    expect(id).toBeGreaterThan(0);
    expect(sqliteFileModes(path)).toEqual(['600', '600', '600']);
  } finally {
    await repository.close();
  }
});
