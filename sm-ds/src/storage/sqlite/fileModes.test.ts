// The SM-DS's SQLite files name EIDs: the database and the -wal and -shm files SQLite makes beside it (which take
// the database file's mode when they are made) are the SM-DS's alone, 0600, under the usual umask 022.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sqliteFileModes, umask022Folder } from '@zkesim/testing/files/umaskFolder';
import { eidDigits } from '@zkesim/protocol';
import { openEventStore } from '../openEventStore.js';
import { SqliteEventStore } from './sqliteEventStore.js';

const folder = umask022Folder('smds-modes-');
const record = {
  eid: eidDigits('89049032123451234512345678901235'), eventId: 'E1', rspServerAddress: 'smdp.example.com',
  registrant: { role: 'smdp' as const, name: 'CN=SM-DP+' }, createdAt: 10, expiresAt: 110,
};

it.each([
  ['the SQLite event store', async (path: string) => new SqliteEventStore(path)],
  ['openEventStore', (path: string) => openEventStore({ kind: 'sqlite', path })],
])('%s makes the database, -wal and -shm files 0600 under umask 022', async (_name, open) => {
  const path = join(folder(), 'smds', 'smds.db');
  const store = await open(path);
  try {
    expect(await store.transaction((tx) => tx.insertEvent(record))).toBe('inserted');
    expect(sqliteFileModes(path)).toEqual(['600', '600', '600']);
  } finally {
    await store.close();
  }
});
