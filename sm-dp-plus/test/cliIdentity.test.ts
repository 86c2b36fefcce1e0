// `zkesim smdp order-identity ICCID FILE` through the real command line: gives an open order the subscriber
// identity its profile will carry (ZK identity layer), from a file only its owner may read.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSubscriberIdentityToken, iccidDigits } from '@zkesim/protocol';
import { loadSealer } from '../src/adapters/secrets/keyEncryptionKey.js';
import { SqliteRepository } from '../src/storage/sqlite/sqliteRepository.js';

const run = promisify(execFile);
const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
const profiles = fileURLToPath(new URL('../profiles', import.meta.url));
const secretHex = '5a'.repeat(32);
let dir: string;
let env: NodeJS.ProcessEnv;

async function smdp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [zkesim, 'smdp', ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-cli-identity-'));
  env = { ...process.env, SMDP_DATABASE_PATH: join(dir, 'smdp.db') };
  writeFileSync(join(dir, 'lab.yaml'), 'orders:\n  - { profileType: TS48V1-A-UNIQUE, matchingId: ID-1 }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zkesim smdp order-identity', () => {
  it('sets the identity of an open order from an owner-only file and prints only its public part', async () => {
    expect((await smdp('import-profiles', profiles, '--count', '1')).code).toBe(0);
    const [order] = JSON.parse((await smdp('provision', 'lab.yaml')).stdout) as Array<{ iccid: string }>;
    const iccid = order?.iccid ?? '';
    const file = join(dir, 'identity.json');
    writeFileSync(file, JSON.stringify({ commitment: '123456789', subscriberContract: `0x${'ab'.repeat(20)}`, chainId: 31337, registry: `0x${'cd'.repeat(20)}`, identitySecret: secretHex }));
    chmodSync(file, 0o644);
    const refused = await smdp('order-identity', iccid, file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/chmod 600/);

    chmodSync(file, 0o600);
    const set = await smdp('order-identity', iccid, file);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      iccid, subscriberIdentity: { version: 1, commitment: '123456789', subscriberContract: `0x${'ab'.repeat(20)}`, chainId: 31337, registry: `0x${'cd'.repeat(20)}` },
    });
    expect(set.stdout + set.stderr).not.toContain(secretHex);
    const repository = new SqliteRepository({ path: join(dir, 'smdp.db'), sealer: loadSealer({ file: join(dir, 'data', 'smdp', 'kek.key'), generate: false }, {}) });
    try {
      const stored = await repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(iccid)));
      expect(Buffer.from(decodeSubscriberIdentityToken(stored?.subscriberIdentityToken ?? new Uint8Array()).identitySecret).toString('hex')).toBe(secretHex);
    } finally {
      await repository.close();
    }

    writeFileSync(file, JSON.stringify({ commitment: '1', subscriberContract: '0x12', chainId: 1, registry: `0x${'cd'.repeat(20)}`, identitySecret: secretHex }));
    const bad = await smdp('order-identity', iccid, file);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/subscriberContract must be a 20-byte address/);
  }, 60_000);
});
