// The eUICC's state file holds its private keys (SK.EUICC.ECDSA, the profiles' keys): the database and the -wal
// and -shm files SQLite makes beside it (which take the database file's mode when they are made) are the
// owner's alone, 0600, under the usual umask 022, whoever opens the store (`zkesim euicc`, the library).
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sqliteFileModes, umask022Folder } from '@zkesim/testing/files/umaskFolder';
import { openSqliteStore } from './sqliteStore.js';

const folder = umask022Folder('euicc-modes-');

it('makes the state database, -wal and -shm files 0600 under umask 022', () => {
  const path = join(folder(), 'euicc.db');
  const store = openSqliteStore(path);
  try {
    expect(store.listEids()).toEqual([]);
    expect(sqliteFileModes(path)).toEqual(['600', '600', '600']);
  } finally {
    store.close();
  }
});
