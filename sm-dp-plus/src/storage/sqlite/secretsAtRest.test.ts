// Ki, OPc and confirmation-code digests at rest (SECURITY.md): the database file itself is read, byte for
// byte, and must hold none of them; every file the store creates is 0600 in a 0700 folder; a store written
// in clear by an older schema version is sealed at open; an installed profile's secrets are erased.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iccidDigits, type IccidDigits } from '@zkesim/protocol';
import { openRepository, type OpenedRepository } from '../openRepository.js';
import { migrations } from './migrations.js';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { KEK_ENVIRONMENT_VARIABLE, KeyEncryptionKeyError, loadKeyEncryptionKey } from '../../adapters/secrets/keyEncryptionKey.js';
import { SealedValueError, sealedColumn } from '../../core/secretSealer.js';
import { matchingId } from '../../core/identifiers.js';

const iccid = iccidDigits('8900000000000000001');
const other = iccidDigits('8900000000000000019');
const ki = Buffer.from('4b1f0a3c5d7e9b2a4b1f0a3c5d7e9b01', 'hex');
const opc = Buffer.from('0c9a7e5d3c1b0a090c9a7e5d3c1b0a02', 'hex');
/** SHA-256 of the 6-digit confirmation code: what a copy of the database would let one reverse in a second. */
const ccDigest = createHash('sha256').update('271828').digest();

let dir: string;
let path: string;
let sealer: AesGcmSealer;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-at-rest-'));
  path = join(dir, 'store', 'smdp.db');
  sealer = new AesGcmSealer(randomBytes(32));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every byte SQLite keeps for the store: the database file, its WAL and shared-memory index. */
function storeBytes(): Buffer {
  return Buffer.concat([path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((file) => readFileSync(file)));
}

function modeOf(file: string): string {
  return (statSync(file).mode & 0o777).toString(8);
}

async function seed(repository: OpenedRepository, profile: IccidDigits = iccid, withOrder = true): Promise<void> {
  await repository.transaction(async (tx) => {
    if ((await tx.getProfileTemplate('demo')) === undefined) {
      await tx.putProfileTemplate({ profileType: 'demo', upp: Uint8Array.of(0xa0, 0x00), source: 'test', serviceProviderName: 'SP', profileName: 'Demo' });
    }
    await tx.insertProfile({ iccid: profile, profileType: 'demo', state: 'available', imsi: '001010000000001', ki, opc }, 1);
    if (withOrder) await tx.insertOrder({ iccid: profile, releaseFlag: false, operatorId: 'op', createdAt: 1, confirmationCodeHash: ccDigest, matchingId: matchingId(`M-${profile}`) });
  });
}

describe('secrets at rest', () => {
  it('keeps no Ki, OPc or confirmation-code digest in the database files, and gives them back sealed', async () => {
    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    await seed(repository);
    // While open (WAL and -shm present) and after close (checkpointed into the database file).
    expect(storeBytes().includes(ki)).toBe(false);
    expect(storeBytes().includes(opc)).toBe(false);
    expect(storeBytes().includes(ccDigest)).toBe(false);
    const { profile, order } = await repository.transaction(async (tx) => ({ profile: await tx.getProfileSecrets(iccid), order: await tx.getOpenOrderByIccid(iccid) }));
    expect(Buffer.from(profile?.ki ?? [])).toEqual(ki);
    expect(Buffer.from(profile?.opc ?? [])).toEqual(opc);
    expect(Buffer.from(order?.confirmationCodeHash ?? [])).toEqual(ccDigest);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file), file).toBe('600');
    expect(modeOf(dirname(path))).toBe('700');
    await repository.close();
    expect(storeBytes().includes(ki) || storeBytes().includes(opc) || storeBytes().includes(ccDigest)).toBe(false);
  });

  it('binds a sealed value to its row and column: moved to another row it does not open', async () => {
    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    await seed(repository);
    await seed(repository, other, false);
    await repository.close();
    const raw = new Database(path);
    raw.prepare('UPDATE profiles SET ki = (SELECT ki FROM profiles WHERE iccid = ?) WHERE iccid = ?').run(iccid, other);
    raw.close();
    const reopened = await openRepository({ kind: 'sqlite', path }, sealer);
    try {
      await expect(reopened.transaction((tx) => tx.getProfileSecrets(other))).rejects.toThrow(SealedValueError);
      expect(Buffer.from((await reopened.transaction((tx) => tx.getProfileSecrets(iccid)))?.ki ?? [])).toEqual(ki);
    } finally {
      await reopened.close();
    }
    expect(() => sealer.openSync(sealer.sealSync(ki, sealedColumn('profiles', 'ki', iccid)), sealedColumn('profiles', 'opc', iccid))).toThrow(SealedValueError);
  });

  it('refuses to open a store sealed with another key-encryption key', async () => {
    await (await openRepository({ kind: 'sqlite', path }, sealer)).close();
    await expect(openRepository({ kind: 'sqlite', path }, new AesGcmSealer(randomBytes(32)))).rejects.toThrow(SealedValueError);
  });

  it('seals what a store of an older schema version kept in clear, leaving no clear copy in the files', async () => {
    // A store as an older version wrote it: Ki, OPc and the digest in clear, its files 0644.
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    for (const migration of migrations.filter((m) => m.version < 6)) old.exec(migration.sql);
    old.pragma(`user_version = ${Math.max(...migrations.filter((m) => m.version < 6).map((m) => m.version))}`);
    old.prepare("INSERT INTO profile_templates VALUES ('demo', x'a000', 'test', 'SP', 'Demo')").run();
    old.prepare("INSERT INTO profiles (iccid, profile_type, state, imsi, ki, opc, updated_at) VALUES (?, 'demo', 'available', '001010000000001', ?, ?, 1)").run(iccid, ki, opc);
    old.prepare("INSERT INTO orders (iccid, confirmation_code_hash, release_flag, operator_id, created_at) VALUES (?, ?, 0, 'op', 1)").run(iccid, ccDigest);
    old.close();
    chmodSync(path, 0o644);
    expect(storeBytes().includes(ki)).toBe(true);

    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    try {
      expect(storeBytes().includes(ki) || storeBytes().includes(opc) || storeBytes().includes(ccDigest)).toBe(false);
      expect(Buffer.from((await repository.transaction((tx) => tx.getProfileSecrets(iccid)))?.ki ?? [])).toEqual(ki);
      expect(Buffer.from((await repository.transaction((tx) => tx.getOpenOrderByIccid(iccid)))?.confirmationCodeHash ?? [])).toEqual(ccDigest);
      expect(modeOf(path)).toBe('600');
    } finally {
      await repository.close();
    }
    expect(storeBytes().includes(ki) || storeBytes().includes(ccDigest)).toBe(false);
  });

  it('erases Ki, OPc and the confirmation-code digest once the profile is installed', async () => {
    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    try {
      await seed(repository);
      const raw = new Database(path, { readonly: true });
      const sealedBefore = (raw.prepare('SELECT ki FROM profiles WHERE iccid = ?').get(iccid) as { ki: Buffer }).ki;
      raw.close();
      await repository.transaction((tx) => tx.eraseProfileSecrets(iccid));
      const { profile, order } = await repository.transaction(async (tx) => ({ profile: await tx.getProfileSecrets(iccid), order: await tx.getOpenOrderByIccid(iccid) }));
      expect(profile?.ki).toEqual(new Uint8Array(0));
      expect(profile?.opc).toEqual(new Uint8Array(0));
      expect(order?.confirmationCodeHash).toBeUndefined();
      // secure_delete: not even the ciphertext stays behind in the files.
      await repository.close();
      expect(storeBytes().includes(sealedBefore)).toBe(false);
    } finally {
      await repository.close();
    }
  });
});

describe('key-encryption key', () => {
  it('is generated 0600 on first use, read back afterwards, and refused once group- or world-readable', () => {
    const file = join(dir, 'keys', 'kek.key');
    const key = loadKeyEncryptionKey({ file, generate: true }, {});
    expect(key).toHaveLength(32);
    expect(modeOf(file)).toBe('600');
    expect(modeOf(dirname(file))).toBe('700');
    expect(loadKeyEncryptionKey({ file, generate: false }, {})).toEqual(key);
    chmodSync(file, 0o640);
    expect(() => loadKeyEncryptionKey({ file, generate: false }, {})).toThrow(/readable by its group or others.*refusing to start/);
    chmodSync(file, 0o604);
    expect(() => loadKeyEncryptionKey({ file, generate: true }, {})).toThrow(KeyEncryptionKeyError);
  });

  it('comes from the environment when set, and is never invented when generation is off', () => {
    const key = randomBytes(32);
    expect(Buffer.from(loadKeyEncryptionKey({ file: join(dir, 'none'), generate: false }, { [KEK_ENVIRONMENT_VARIABLE]: key.toString('base64') }))).toEqual(key);
    expect(Buffer.from(loadKeyEncryptionKey({ file: join(dir, 'none'), generate: false }, { [KEK_ENVIRONMENT_VARIABLE]: key.toString('hex') }))).toEqual(key);
    expect(() => loadKeyEncryptionKey({ file: join(dir, 'none'), generate: false }, { [KEK_ENVIRONMENT_VARIABLE]: 'short' })).toThrow(/32-byte key/);
    expect(() => loadKeyEncryptionKey({ file: join(dir, 'none'), generate: false }, {})).toThrow(/no key-encryption key/);
  });
});
