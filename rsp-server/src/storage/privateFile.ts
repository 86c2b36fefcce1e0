// A data file only its owner may read (mode 0600, in a directory made 0700 when it has to be made), created
// before the database opens it, so that no moment exists in which it has the process umask's wider mode.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `path` (and its directory) if missing, and sets it to 0600 whatever mode it had. */
export function preparePrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
