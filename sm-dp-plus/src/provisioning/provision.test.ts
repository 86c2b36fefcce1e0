import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteRepository } from '../storage/sqlite/sqliteRepository.js';
import { AesGcmSealer } from '../adapters/secrets/aesGcmSealer.js';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { importProfiles } from '../inventory/importProfiles.js';
import { readTemplateFiles } from '../inventory/templateFiles.js';
import { FixtureError, parseFixtures } from './fixtures.js';
import { provision, resetToFixtures } from './provision.js';

const profiles = fileURLToPath(new URL('../../profiles/', import.meta.url));
const policy: OrderPolicy = { smdpAddress: 'smdp.example.com', orderLifetimeMs: 0, confirmationCodeMaxAttempts: 3, downloadMaxAttempts: 5 };
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
