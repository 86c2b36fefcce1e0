// `zkesim smdp import-profiles | provision | order | block-imei | reset` through the real command line, on a
// SQLite file chosen by environment variable (SMDP_DATABASE_PATH).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRepository } from '../src/storage/sqlite/sqliteRepository.js';
import { loadSealer } from '../src/adapters/secrets/keyEncryptionKey.js';

const run = promisify(execFile);
const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
const profiles = fileURLToPath(new URL('../profiles', import.meta.url));
let dir: string;
let env: NodeJS.ProcessEnv;

async function smdp(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [zkesim, 'smdp', ...args], { env, cwd: dir });
  return JSON.parse(stdout) as unknown;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-cli-'));
  env = { ...process.env, SMDP_DATABASE_PATH: join(dir, 'smdp.db') };
  writeFileSync(
    join(dir, 'lab.yaml'),
    'orders:\n  - { profileType: TS48V1-A-UNIQUE, matchingId: CLI-1, eid: "89049032123451234512345678901235", confirmationCode: "1234" }\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zkesim smdp command line', () => {
  it('imports the templates, provisions fixtures, blocks an IMEI and resets to the fixtures', async () => {
    expect(await smdp('import-profiles', profiles, '--count', '2')).toEqual([
      { profileType: 'TS48V1-A-UNIQUE', created: 2 },
      { profileType: 'TS48V4-SAIP2-3-NOBERTLV-UNIQUE', created: 2 },
      { profileType: 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE', created: 2 },
      { profileType: 'TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE', created: 2 },
    ]);
    const provisioned = (await smdp('provision', 'lab.yaml')) as Array<{ iccid: string }>;
    expect(provisioned).toMatchObject([{ matchingId: 'CLI-1', eid: '89049032123451234512345678901235' }]);
    expect(await smdp('order', provisioned[0]?.iccid ?? '')).toEqual({
      iccid: provisioned[0]?.iccid,
      profileState: 'released',
      order: { orderId: 1, matchingId: 'CLI-1', eid: '89049032123451234512345678901235', released: true, closed: false, reusable: false },
    });
    expect(await smdp('block-imei', '490154203237518')).toEqual({ imei: '490154203237518', blocked: true });
    expect(await smdp('reset', 'lab.yaml')).toMatchObject([{ matchingId: 'CLI-1' }]);
    const repository = new SqliteRepository({
      path: join(dir, 'smdp.db'),
      // The key the commands generated on first use, under the default data directory (<cwd>/data).
      sealer: loadSealer({ file: join(dir, 'data', 'smdp', 'kek.key'), generate: false }, {}),
    });
    try {
      expect(await repository.transaction((tx) => tx.countProfiles('released'))).toBe(1);
      expect(await repository.transaction((tx) => tx.countProfiles('available'))).toBe(7);
      expect(await repository.transaction((tx) => tx.isImeiBlocked('490154203237518' as never))).toBe(false);
    } finally {
      await repository.close();
    }
  }, 60_000);

  it('imports chosen ICCIDs with metadata, and provisions a reusable order only in lab mode', async () => {
    const labEnv = { ...env, SMDP_DATABASE_PATH: join(dir, 'lab.db') };
    const cli = async (extra: NodeJS.ProcessEnv, ...args: string[]) => JSON.parse((await run(process.execPath, [zkesim, 'smdp', ...args], { env: { ...labEnv, ...extra }, cwd: dir })).stdout) as unknown;
    writeFileSync(join(dir, 'metadata.yaml'), 'profileClass: test\nprofilePolicyRules: [ppr1]\nprofileOwner: { mccMnc: "32F451" }\n');
    writeFileSync(join(dir, 'reusable.yaml'), 'orders:\n  - { iccid: "89494499999999900013", matchingId: CLI-REUSE, reusable: true }\n');
    const template = join(profiles, 'TS48V1-A-UNIQUE.der');
    expect(await cli({}, 'import-profiles', template, '--iccid', '89494499999999900013', '8949449999999990021', '--metadata', 'metadata.yaml')).toEqual([
      { profileType: 'TS48V1-A-UNIQUE', created: ['89494499999999900013', '8949449999999990021'] },
    ]);
    const refused = await cli({}, 'provision', 'reusable.yaml').then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused).toContain('fixture orders[0].reusable: needs lab mode');
    expect(await cli({ SMDP_LAB: 'true' }, 'provision', 'reusable.yaml')).toMatchObject([{ matchingId: 'CLI-REUSE', iccid: '89494499999999900013' }]);
    expect(await cli({}, 'order', '89494499999999900013')).toMatchObject({ order: { matchingId: 'CLI-REUSE', reusable: true, closed: false } });
    const repository = new SqliteRepository({ path: join(dir, 'lab.db'), sealer: loadSealer({ file: join(dir, 'data', 'smdp', 'kek.key'), generate: false }, {}) });
    try {
      const profile = await repository.transaction((tx) => tx.getProfile('8949449999999990021' as never));
      expect(profile?.metadata).toEqual({ profileClass: 'test', profilePolicyRules: ['ppr1'], profileOwner: { mccMnc: '32F451' } });
    } finally {
      await repository.close();
    }
  }, 60_000);
});
