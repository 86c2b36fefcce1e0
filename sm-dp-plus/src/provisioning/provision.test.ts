import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IccidDigits } from '@zkesim/protocol';
import { SqliteRepository } from '../storage/sqlite/sqliteRepository.js';
import { AesGcmSealer } from '../adapters/secrets/aesGcmSealer.js';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { importProfiles } from '../inventory/importProfiles.js';
import { readTemplateFiles } from '../inventory/templateFiles.js';
import { FixtureError, parseFixtures } from './fixtures.js';
import { provision, resetToFixtures } from './provision.js';

const profiles = fileURLToPath(new URL('../../profiles/', import.meta.url));
const policy: OrderPolicy = { smdpAddress: 'smdp.example.com', orderLifetimeMs: 0, confirmationCodeMaxAttempts: 3, downloadMaxAttempts: 5, cancelAfterRefusedConfirmationCode: 'keepOrder' };
const operators = [{ operatorId: 'operator' }];
const fixtureYaml = `
orders:
  - profileType: TS48V1-A-UNIQUE
    matchingId: LAB-0001
    eid: "89049032123451234512345678901235"
    confirmationCode: "1234"
    expiresAt: 2030-01-01T00:00:00Z
    deviceConstraints: { allowedTacs: ["35290611"] }
  - profileType: TS48V1-A-UNIQUE
    matchingId: LAB-0002
    released: false
blockedImeis:
  - { imei: "490154203237518", reason: stolen }
`;

let dir: string;
let repository: SqliteRepository;
let deps: CoreDeps & { repository: SqliteRepository };
let counter = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-provision-'));
  repository = new SqliteRepository({ path: join(dir, 'smdp.db'), sealer: new AesGcmSealer(new Uint8Array(32).fill(1)) });
  deps = {
    clock: { now: () => 1_700_000_000_000 },
    random: { bytes: (n) => Uint8Array.from({ length: n }, () => (counter += 7) & 0xff) },
    repository,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  await importProfiles(deps, readTemplateFiles(profiles), 3);
});
afterEach(async () => {
  await repository.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smdp provision / reset fixtures', () => {
  it('creates the orders with the chosen MatchingIDs, EIDs, codes, release state and expiry', async () => {
    const created = await provision(deps, policy, operators, parseFixtures(parseYaml(fixtureYaml)));
    expect(created.map((c) => c.matchingId)).toEqual(['LAB-0001', 'LAB-0002']);
    const [first, second] = await repository.transaction(async (tx) => [
      await tx.getOpenOrderByMatchingId('LAB-0001' as never),
      await tx.getOpenOrderByMatchingId('LAB-0002' as never),
    ]);
    expect(first).toMatchObject({ eid: '89049032123451234512345678901235', expiresAt: Date.parse('2030-01-01T00:00:00Z'), deviceConstraints: { allowedTacs: ['35290611'] } });
    expect(first?.confirmationCodeHash).toHaveLength(32);
    const states = await repository.transaction(async (tx) => [(await tx.getProfile(first!.iccid))?.state, (await tx.getProfile(second!.iccid))?.state]);
    expect(states).toEqual(['released', 'confirmed']);
    expect(await repository.transaction((tx) => tx.isImeiBlocked('490154203237518' as never))).toBe(true);
  });

  it('resets to the same fixtures: MatchingIDs can be used again and no profile stays allocated', async () => {
    const fixtures = parseFixtures(parseYaml(fixtureYaml));
    await provision(deps, policy, operators, fixtures);
    const again = await resetToFixtures(deps, policy, operators, fixtures);
    expect(again.map((c) => c.matchingId)).toEqual(['LAB-0001', 'LAB-0002']);
    expect(await repository.transaction((tx) => tx.countProfiles('released'))).toBe(1);
    await resetToFixtures(deps, policy, operators, undefined);
    expect(await repository.transaction((tx) => tx.countProfiles('available'))).toBe(12);
  });

  it('names the bad key of a broken fixture', () => {
    expect(() => parseFixtures({ orders: [{ matchingId: 'x' }] })).toThrow(FixtureError);
    expect(() => parseFixtures({ orders: [{ profileType: 't', expiresAt: 'soon' }] })).toThrow('fixture orders[0].expiresAt: must be an ISO 8601 time');
    expect(() => parseFixtures({ order: [] })).toThrow('fixture order: unknown key');
  });
});

describe('lab fixtures (issue #12 item 14)', () => {
  const labPolicy: OrderPolicy = { ...policy, lab: true };
  const order = (matchingId: string, extra: Record<string, unknown>) => ({ profileType: 'TS48V1-A-UNIQUE', matchingId, ...extra });

  it('presets attempt counters, an expiry in the past, PPRs, "not released" and a reusable order', async () => {
    await importProfiles(deps, readTemplateFiles(profiles), 2);
    const fixtures = parseFixtures({
      orders: [
        order('LAB-COUNTERS', { downloadAttempts: 4, confirmationCodeAttempts: 2, confirmationCode: '1234' }),
        order('LAB-EXPIRED', { expiresAt: '2001-01-01T00:00:00Z' }),
        order('LAB-PPR', { profilePolicyRules: ['ppr1', 'ppr2'] }),
        order('LAB-HELD', { released: false }),
        order('LAB-REUSABLE', { reusable: true }),
      ],
    });
    await provision(deps, labPolicy, operators, fixtures);
    const orders = await repository.transaction(async (tx) =>
      Promise.all(['LAB-COUNTERS', 'LAB-EXPIRED', 'LAB-PPR', 'LAB-HELD', 'LAB-REUSABLE'].map((id) => tx.getOpenOrderByMatchingId(id as never))),
    );
    const [counters, expired, ppr, held, reusable] = orders;
    expect(counters).toMatchObject({ downloadAttempts: 4, confirmationCodeAttempts: 2 });
    expect(expired?.expiresAt).toBe(Date.parse('2001-01-01T00:00:00Z'));
    expect(ppr?.profilePolicyRules).toEqual(['ppr1', 'ppr2']);
    expect((await repository.transaction((tx) => tx.getProfile(held!.iccid)))?.state).toBe('confirmed');
    expect(reusable?.reusable).toBe(true);
    expect(counters?.reusable).toBeUndefined();
  });

  it('refuses a reusable order unless the configuration enables lab mode, and creates no order then', async () => {
    const fixtures = parseFixtures({ orders: [order('LAB-OK', {}), order('LAB-REUSABLE', { reusable: true })] });
    await expect(provision(deps, policy, operators, fixtures)).rejects.toThrow(new FixtureError('orders[1].reusable', 'needs lab mode (lab: true in the SM-DP+ configuration)'));
    expect(await repository.transaction((tx) => tx.isMatchingIdTaken('LAB-OK' as never))).toBe(false);
  });

  it('is all-or-nothing: a run that runs out of profiles leaves no order and no allocated profile', async () => {
    const fixtures = parseFixtures({ orders: [1, 2, 3, 4].map((n) => order(`LAB-${n}`, {})) });
    await expect(provision(deps, policy, operators, fixtures)).rejects.toThrow();
    expect(await repository.transaction((tx) => tx.isMatchingIdTaken('LAB-1' as never))).toBe(false);
    expect(await repository.transaction((tx) => tx.countProfiles('available'))).toBe(12);
  });

  it('keeps an order\'s PPRs with the order: after a reset the profile sets only its own rules again', async () => {
    const [created] = await provision(deps, policy, operators, parseFixtures({ orders: [order('LAB-PPR', { profilePolicyRules: ['ppr2'] })] }));
    const iccid = created?.iccid as IccidDigits;
    expect((await repository.transaction((tx) => tx.getOpenOrderByIccid(iccid)))?.profilePolicyRules).toEqual(['ppr2']);
    await resetToFixtures(deps, policy, operators, parseFixtures({ orders: [{ iccid, matchingId: 'LAB-AGAIN' }] }));
    const again = await repository.transaction((tx) => tx.getOpenOrderByIccid(iccid));
    expect(again?.profilePolicyRules).toBeUndefined();
    expect((await repository.transaction((tx) => tx.getProfile(iccid)))?.metadata?.profilePolicyRules).toBeUndefined();
  });

  it('names a bad counter or rule', () => {
    expect(() => parseFixtures({ orders: [order('X', { downloadAttempts: -1 })] })).toThrow('fixture orders[0].downloadAttempts: must be a whole number ≥ 0');
    expect(() => parseFixtures({ orders: [order('X', { profilePolicyRules: ['ppr7'] })] })).toThrow('fixture orders[0].profilePolicyRules[0]: must be one of ppr1, ppr2, ppr3');
    expect(() => parseFixtures({ orders: [order('X', { reusable: 'yes' })] })).toThrow('fixture orders[0].reusable: must be true or false');
  });
});
