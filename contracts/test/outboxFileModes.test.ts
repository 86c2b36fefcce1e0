// The anchor outbox names subscribers and the results of their downloads: the database and the -wal and -shm
// files SQLite makes beside it (which take the database file's mode when they are made) are the owner's alone,
// 0600, under the usual umask 022, whoever opens it (`zkesim chain …`, the SM-DP+, the library).
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileModeOf, sqliteFileModes, umask022Folder } from '@zkesim/testing/files/umaskFolder';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { OUTBOX_FILE, openAnchorOutbox } from '../src/chainService.js';
import { installResult } from '@zkesim/testing/chain/installResults';

const folder = umask022Folder('outbox-modes-');

it.each([
  ['the AnchorOutbox', (chainDir: string) => new AnchorOutbox(join(chainDir, OUTBOX_FILE), () => 1)],
  ['openAnchorOutbox', (chainDir: string) => openAnchorOutbox(chainDir, () => 1)],
])('%s makes the database, -wal and -shm files 0600 in a new 0700 folder under umask 022', (_name, open) => {
  const chainDir = join(folder(), 'chain');
  const path = join(chainDir, OUTBOX_FILE);
  const outbox = open(chainDir);
  try {
    expect(outbox.record(installResult(1)).duplicate).toBe(false);
    expect([fileModeOf(chainDir), ...sqliteFileModes(path)]).toEqual(['700', '600', '600', '600']);
  } finally {
    outbox.close();
  }
});
