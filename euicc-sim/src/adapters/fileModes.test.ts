// The eUICC's state file holds its private keys (SK.EUICC.ECDSA, the profiles' keys): the database and the -wal
// and -shm files SQLite makes beside it (which take the database file's mode when they are made) are the
// owner's alone, 0600, under the usual umask 022, whoever opens the store (`zkesim euicc`, the library).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from './sqliteStore.js';

let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'euicc-modes-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

it('makes the state database, -wal and -shm files 0600 under umask 022', () => {
  const path = join(dir, 'euicc.db');
  const store = openSqliteStore(path);
  try {
    expect(store.listEids()).toEqual([]);
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
  } finally {
    store.close();
  }
});
