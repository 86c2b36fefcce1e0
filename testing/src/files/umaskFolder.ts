// Tests that a store makes its files the owner's alone whatever the umask: each test gets a fresh temporary
// folder and runs under the usual umask 022; the umask is put back and the folder removed after it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** Registers the hooks; the returned function gives the current test's folder. */
export function umask022Folder(prefix: string): () => string {
  let dir = '';
  let umask = 0;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** A file's permission bits in octal ('600'). */
export const fileModeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** The modes of a SQLite database and of the -wal and -shm files SQLite makes beside it. */
export const sqliteFileModes = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`].map(fileModeOf);
