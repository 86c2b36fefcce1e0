// The onboarding's link store on a real SQLite file: one link per reference hash, the `ordered` → `onboarded`
// step, erasure's view (contracts' `SubscriberLinks`: find by reference hash or commitment, delete leaving no bytes
// behind), and a file only its owner reads.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { SubscriberLinks } from '@zkesim/contracts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openOnboardingStore, type OnboardingLink } from './onboardingStore.js';
import { referenceHash } from './onboardSubscriber.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-store-'));
  dirs.push(dir);
  return join(dir, 'onboarding.db');
}

const key = new Uint8Array(32).fill(9);
const link: OnboardingLink = {
  referenceHash: referenceHash(key, 'operator', 'kyc-1'),
  operatorId: 'operator',
  commitment: '12345',
  subscriberContract: `0x${'5e'.repeat(20)}`,
  iccid: '8901000000000000001',
  matchingId: 'AAAAA-BBBBB-CCCCC-DDDDD',
  state: 'ordered',
  createdAt: 1,
};

describe('onboarding link store', () => {
  it('keys links by the keyed hash of operator and reference, not the reference', () => {
    expect(referenceHash(key, 'operator', 'kyc-1')).not.toBe(referenceHash(key, 'other', 'kyc-1'));
    expect(referenceHash(key, 'operator', 'kyc-1')).not.toBe(referenceHash(new Uint8Array(32), 'operator', 'kyc-1'));
    expect(referenceHash(key, 'operator', 'kyc-1')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps one link per reference, survives reopening, marks it onboarded and forgets it', () => {
    const path = storePath();
    let store = openOnboardingStore(path);
    store.insert(link);
    expect(() => store.insert({ ...link, commitment: '999' })).toThrow(/UNIQUE/);
    store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store = openOnboardingStore(path);
    expect(store.get(link.referenceHash)).toEqual(link);
    store.markOnboarded(link.referenceHash);
    expect(store.get(link.referenceHash)?.state).toBe('onboarded');
    store.close();
  });

  it('keeps whether the order needs a confirmation code, and adds that column to a store made before it', () => {
    const path = storePath();
    // A store of the first release: the table without the column, one link in it.
    const old = new Database(path);
    old.exec(`CREATE TABLE onboarding_links (reference_hash TEXT PRIMARY KEY, operator_id TEXT NOT NULL, commitment TEXT NOT NULL UNIQUE,
      subscriber_contract TEXT NOT NULL, wallet TEXT, iccid TEXT NOT NULL, matching_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('ordered', 'onboarded')), created_at INTEGER NOT NULL) STRICT`);
    old.prepare(`INSERT INTO onboarding_links VALUES (?, 'operator', '12345', ?, NULL, ?, ?, 'ordered', 1)`).run(link.referenceHash, link.subscriberContract, link.iccid, link.matchingId);
    old.close();
    const store = openOnboardingStore(path);
    expect(store.get(link.referenceHash)).toEqual(link);
    const withCode: OnboardingLink = { ...link, referenceHash: referenceHash(key, 'operator', 'kyc-cc'), commitment: '888', iccid: '8901000000000000003', matchingId: 'GGGGG', confirmationCodeRequired: true };
    store.insert(withCode);
    expect(store.get(withCode.referenceHash)).toEqual(withCode);
    store.close();
  });

  it("serves erasure (contracts' SubscriberLinks): found by reference hash or commitment, deleted without a trace in the files", async () => {
    const path = storePath();
    const store = openOnboardingStore(path);
    const links: SubscriberLinks = store;
    const other = {
      ...link, referenceHash: referenceHash(key, 'operator', 'kyc-2'), commitment: '777', subscriberContract: `0x${'6f'.repeat(20)}`, iccid: '8901000000000000002', matchingId: 'EEEEE-FFFFF',
    };
    store.insert(link);
    store.insert(other);
    const expected = { reference: link.referenceHash, commitment: 12345n, iccids: [link.iccid] };
    expect(await links.findLink({ reference: link.referenceHash })).toEqual(expected);
    expect(await links.findLink({ commitment: 12345n })).toEqual(expected);
    expect(await links.findLink({ commitment: 1n })).toBeUndefined();
    expect(await links.deleteLink(link.referenceHash)).toBe(true);
    expect(await links.deleteLink(link.referenceHash)).toBe(false);
    expect(await links.findLink({ reference: link.referenceHash })).toBeUndefined();
    expect(await links.findLink({ commitment: 777n })).toMatchObject({ reference: other.referenceHash });
    // Every file of the store (database, WAL, shared memory), byte for byte: the erased link is gone.
    const folder = join(path, '..');
    const bytes = Buffer.concat(readdirSync(folder).map((name) => readFileSync(join(folder, name))));
    for (const value of [link.referenceHash, link.matchingId, link.subscriberContract]) expect(bytes.includes(value)).toBe(false);
    expect(bytes.includes(other.referenceHash)).toBe(true);
    store.close();
  });
});
