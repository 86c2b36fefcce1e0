// The anchor outbox names subscribers and the results of their downloads: the database and the -wal and -shm
// files SQLite makes beside it (which take the database file's mode when they are made) are the owner's alone,
// 0600, under the usual umask 022, whoever opens it (`zkesim chain …`, the SM-DP+, the library).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { OUTBOX_FILE, openAnchorOutbox } from '../src/chainService.js';
import { installResult } from '@zkesim/testing/chain/installResults';

let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-modes-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

it.each([
  ['the AnchorOutbox', (chainDir: string) => new AnchorOutbox(join(chainDir, OUTBOX_FILE), () => 1)],
  ['openAnchorOutbox', (chainDir: string) => openAnchorOutbox(chainDir, () => 1)],
])('%s makes the database, -wal and -shm files 0600 in a new 0700 folder under umask 022', (_name, open) => {
  const chainDir = join(dir, 'chain');
  const path = join(chainDir, OUTBOX_FILE);
  const outbox = open(chainDir);
  try {
    expect(outbox.record(installResult(1)).duplicate).toBe(false);
    expect([chainDir, path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual(['700', '600', '600', '600']);
  } finally {
    outbox.close();
  }
});
