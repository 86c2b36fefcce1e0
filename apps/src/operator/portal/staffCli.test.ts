// `zkesim operator staff add` as a user runs it: into the portal database of ZKESIM_DATA_DIR (0600), a generated
// password printed once or one read from standard input, and clear errors (exit 2) for a taken name, a bad role
// or a short password. The accounts it adds sign in.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '@zkesim/testing/stack/processes';
import { openPortalDatabase } from './portalDatabase.js';
import { StaffStore } from './staffStore.js';

const zkesim = `node ${fileURLToPath(new URL('../../../../bin/zkesim.js', import.meta.url))}`;
const dataDir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { ...process.env, ZKESIM_DATA_DIR: dataDir };

describe('zkesim operator staff add', { timeout: 60_000 }, () => {
  it('adds a clerk with a generated password and an admin with one from stdin; refuses bad input with exit 2', async () => {
    const clerk = await run(`${zkesim} operator staff add alice --role clerk`, { cwd: dataDir, env });
    expect(clerk.code, clerk.stderr).toBe(0);
    const password = /password \(shown once; hand it over privately\): (\S+)/.exec(clerk.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const admin = await run(`printf '%s\\n' 'bob the admin password' | ${zkesim} operator staff add bob --role admin --password-stdin`, { cwd: dataDir, env });
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).not.toContain('password (shown once');
    for (const [command, message] of [
      [`${zkesim} operator staff add alice --role clerk`, 'username: alice already exists'],
      [`${zkesim} operator staff add carol --role boss`, 'role: must be one of admin, clerk'],
      [`printf 'short\\n' | ${zkesim} operator staff add dave --role clerk --password-stdin`, 'at least 12 characters'],
    ] as const) {
      const refused = await run(command, { cwd: dataDir, env });
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining(message)]);
    }
    const path = join(dataDir, 'operator', 'portal.db');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const db = openPortalDatabase(path);
    try {
      const staff = new StaffStore(db);
      expect(await staff.signIn('alice', password, '::1')).toMatchObject({ ok: true, session: { role: 'clerk' } });
      expect(await staff.signIn('bob', 'bob the admin password', '::1')).toMatchObject({ ok: true, session: { role: 'admin' } });
    } finally {
      db.close();
    }
  });
});
