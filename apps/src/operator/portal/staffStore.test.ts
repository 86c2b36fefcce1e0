// Staff accounts, sessions and the sign-in lockout on a real SQLite file with a movable clock: an account locks
// after MAX_FAILURES wrong passwords and unlocks after LOCK_MS; a source address locks after
// MAX_SOURCE_FAILURES failures across accounts within the window; sessions end at SESSION_MS and at sign-out;
// only the session id's hash is stored.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPortalDatabase } from './portalDatabase.js';
import { LOCK_MS, MAX_FAILURES, MAX_SOURCE_FAILURES, SESSION_MS, StaffError, StaffStore } from './staffStore.js';

const dir = mkdtempSync(join(tmpdir(), 'portal-staff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function store(name: string) {
  const clock = { now: 1_800_000_000_000 };
  const path = join(dir, `${name}.db`);
  const db = openPortalDatabase(path);
  return { staff: new StaffStore(db, () => clock.now), clock, path, db };
}

describe('StaffStore', () => {
  it('adds accounts with checked names, roles and passwords, never twice', async () => {
    const { staff, path, db } = store('add');
    await staff.addStaff('ada', 'admin', 'a long enough password');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(staff.addStaff('ada', 'clerk', 'another long password')).rejects.toThrow('username: ada already exists');
    await expect(staff.addStaff('Bad Name', 'clerk', 'a long enough password')).rejects.toBeInstanceOf(StaffError);
    await expect(staff.addStaff('bob', 'root' as 'admin', 'a long enough password')).rejects.toThrow('role: must be one of admin, clerk');
    await expect(staff.addStaff('bob', 'clerk', 'short')).rejects.toThrow('at least 12 characters');
    db.close();
    // The password is stored as a scrypt hash only.
    expect(readFileSync(path).includes(Buffer.from('a long enough password'))).toBe(false);
  });

  it('locks an account after repeated failures and lets it in again after the lock', async () => {
    const { staff, clock, db } = store('lock');
    await staff.addStaff('carl', 'clerk', 'carl password 123');
    for (let i = 0; i < MAX_FAILURES; i++) expect(await staff.signIn('carl', 'wrong', '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await staff.signIn('carl', 'carl password 123', '10.0.0.2')).toMatchObject({ ok: false, reason: 'account-locked', lockedUntil: clock.now + LOCK_MS });
    clock.now += LOCK_MS + 1;
    const signedIn = await staff.signIn('carl', 'carl password 123', '10.0.0.2');
    expect(signedIn).toMatchObject({ ok: true, session: { username: 'carl', role: 'clerk' } });
    db.close();
  });

  it('locks a source address that fails across many accounts, and not other addresses', async () => {
    const { staff, db } = store('source');
    await staff.addStaff('dora', 'admin', 'dora password 123');
    for (let i = 0; i < MAX_SOURCE_FAILURES; i++) await staff.signIn(`guess${i}`, 'wrong', '192.0.2.7');
    expect(await staff.signIn('dora', 'dora password 123', '192.0.2.7')).toMatchObject({ ok: false, reason: 'source-locked' });
    expect(await staff.signIn('dora', 'dora password 123', '192.0.2.8')).toMatchObject({ ok: true });
    db.close();
  });

  it('keeps sessions by the hash of their id, ending them at expiry and at sign-out', async () => {
    const { staff, clock, path, db } = store('session');
    await staff.addStaff('eve', 'admin', 'eve password 1234');
    const result = await staff.signIn('eve', 'eve password 1234', '::1');
    if (!result.ok) throw new Error('sign-in failed');
    expect(staff.session(result.sessionId)).toEqual(result.session);
    expect(result.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(staff.session('not-a-session')).toBeUndefined();
    expect(readFileSync(path).includes(Buffer.from(result.sessionId))).toBe(false);
    clock.now += SESSION_MS;
    expect(staff.session(result.sessionId)).toBeUndefined();
    clock.now -= SESSION_MS;
    staff.signOut(result.sessionId);
    expect(staff.session(result.sessionId)).toBeUndefined();
    db.close();
  });
});
