// preparePrivateFile under the usual umask 022: a new file is made 0600 in a 0700 folder before anything opens
// it; an existing one and the SQLite files an earlier run left beside it are made 0600; SQLite's in-memory
// database is no file.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { preparePrivateFile } from './privateFile.js';

let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'private-file-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

it('makes a missing file 0600, empty, in a new 0700 folder', () => {
  const path = join(dir, 'store', 'data.db');
  preparePrivateFile(path);
  expect([modeOf(join(dir, 'store')), modeOf(path), statSync(path).size]).toEqual(['700', '600', 0]);
});

it('makes an existing database and the -wal, -shm and -journal files beside it 0600, keeping their content', () => {
  const path = join(dir, 'data.db');
  const files = [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
  for (const file of files) writeFileSync(file, 'kept', { mode: 0o644 });
  preparePrivateFile(path);
  expect(files.map(modeOf)).toEqual(['600', '600', '600', '600']);
  expect(files.map((file) => statSync(file).size)).toEqual([4, 4, 4, 4]);
});

it("leaves SQLite's in-memory database alone (no file named ':memory:')", () => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    preparePrivateFile(':memory:');
    expect(existsSync(':memory:')).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    process.chdir(cwd);
  }
});
