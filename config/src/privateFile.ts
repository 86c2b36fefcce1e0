// A data file only its owner may read (mode 0600, in a directory made 0700 when it has to be made), created
// before the database opens it, so that no moment exists in which it has the process umask's wider mode.
// SQLite makes its -wal, -shm and -journal files with the database file's mode, so they are 0600 too.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** SQLite's files beside a database: the write-ahead log, its shared-memory index and the rollback journal. */
const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Makes `path` (and its directory) if missing, and sets it to 0600 whatever mode it had, with the SQLite files
 * an earlier run left beside it (SQLite keeps the mode of side files that exist). ':memory:' and '' (SQLite's
 * in-memory and temporary databases) are no file and left alone.
 */
export function preparePrivateFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  for (const suffix of SQLITE_SIDE_FILES) {
    if (existsSync(`${path}${suffix}`)) chmodSync(`${path}${suffix}`, 0o600);
  }
}
