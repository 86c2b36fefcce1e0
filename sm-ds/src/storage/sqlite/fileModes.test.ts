// The SM-DS's SQLite files name EIDs: the database and the -wal and -shm files SQLite makes beside it (which take
// the database file's mode when they are made) are the SM-DS's alone, 0600, under the usual umask 022.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eidDigits } from '@zkesim/protocol';
import { openEventStore } from '../openEventStore.js';
import { SqliteEventStore } from './sqliteEventStore.js';

let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smds-modes-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const record = {
  eid: eidDigits('89049032123451234512345678901235'), eventId: 'E1', rspServerAddress: 'smdp.example.com',
  registrant: { role: 'smdp' as const, name: 'CN=SM-DP+' }, createdAt: 10, expiresAt: 110,
};

it.each([
  ['the SQLite event store', async (path: string) => new SqliteEventStore(path)],
  ['openEventStore', (path: string) => openEventStore({ kind: 'sqlite', path })],
])('%s makes the database, -wal and -shm files 0600 under umask 022', async (_name, open) => {
  const path = join(dir, 'smds', 'smds.db');
  const store = await open(path);
  try {
    expect(await store.transaction((tx) => tx.insertEvent(record))).toBe('inserted');
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
  } finally {
    await store.close();
  }
});
