// `smdp import-profiles` with operator-chosen ICCIDs and profile metadata (issue #12 item 13): the ICCIDs are
// validated as ICCIDs, the metadata is kept with each profile and becomes the StoreMetadataRequest the
// eUICC receives, long enough metadata spanning several STORE DATA (`88`) segments of the BPP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BoundProfilePackage, BspSession, IconType, InvalidIdentifier, NotificationEvent, ProfileClass, StoreMetadataRequest, bitIsSet, iccidToDigits, profilePolicyRulesOf,
  type IccidDigits,
} from '@zkesim/protocol';
import { SqliteRepository } from '../storage/sqlite/sqliteRepository.js';
import { buildBoundProfilePackage } from '../es8plus/boundProfilePackage.js';
import { importProfiles } from './importProfiles.js';
import { ProfileMetadataError, parseProfileMetadata, profileMetadataFor, storeMetadataRequest } from './profileMetadata.js';
import { readTemplateFiles } from './templateFiles.js';
import { AesGcmSealer } from '../adapters/secrets/aesGcmSealer.js';
import { randomBytes } from 'node:crypto';

/** The store's key-encryption key (the command line is given the same one through SMDP_KEY_ENCRYPTION_KEY). */
const keyEncryptionKey = randomBytes(32);
const sealer = new AesGcmSealer(keyEncryptionKey);

const profiles = fileURLToPath(new URL('../../profiles/', import.meta.url));
const template = readTemplateFiles(profiles).filter((file) => file.name === 'TS48V1-A-UNIQUE.der');
const icon = Buffer.alloc(1000, 0x42).toString('base64');
const metadata = {
  serviceProviderName: 'Lab Operator',
  profileName: 'Conformance profile',
  iconType: 'png',
  icon,
  profileClass: 'test',
  profileOwner: { mccMnc: '32F451', gid1: 'AB' },
  profilePolicyRules: ['ppr1', 'ppr2'],
  notificationConfiguration: [{ events: ['notificationInstall', 'notificationDelete'], address: 'notify.example.com' }],
};

let dir: string;
let repository: SqliteRepository;
let counter = 0;
const deps = () => ({ repository, clock: { now: () => 1_700_000_000_000 }, random: { bytes: (n: number) => Uint8Array.from({ length: n }, () => (counter += 3) & 0xff) } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-import-'));
  repository = new SqliteRepository({ path: join(dir, 'smdp.db'), sealer });
});
afterEach(async () => {
  await repository.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import-profiles with chosen ICCIDs and metadata', () => {
  it('creates exactly the given 19- and 20-digit ICCIDs, each with the metadata', async () => {
    const iccids = ['8949449999999990015', '89494499999999900237'];
    const [result] = await importProfiles(deps(), template, { iccids, metadata: parseProfileMetadata(metadata) });
    expect(result?.created).toEqual(iccids);
    const stored = await repository.transaction(async (tx) => Promise.all(iccids.map((iccid) => tx.getProfile(iccid as IccidDigits))));
    expect(stored.map((profile) => [profile?.state, profile?.metadata?.profilePolicyRules])).toEqual([
      ['available', ['ppr1', 'ppr2']],
      ['available', ['ppr1', 'ppr2']],
    ]);
  });

  it('refuses a malformed or duplicate ICCID by its place in the list, and imports nothing then', async () => {
    await expect(importProfiles(deps(), template, { iccids: ['8949449999999990015', '89-49'] })).rejects.toThrow(new InvalidIdentifier('iccids[1]', 'must be 18 to 20 decimal digits'));
    await expect(importProfiles(deps(), template, { iccids: ['8949449999999990015', '8949449999999990015'] })).rejects.toThrow(/iccids\[1\]: 8949449999999990015 is given twice/);
    await importProfiles(deps(), template, { iccids: ['8949449999999990015'] });
    await expect(importProfiles(deps(), template, { iccids: ['8949449999999990023', '8949449999999990015'] })).rejects.toThrow(/iccids\[1\]: a profile with ICCID 8949449999999990015 exists/);
    expect(await repository.transaction((tx) => tx.countProfiles())).toBe(1);
    await expect(importProfiles(deps(), readTemplateFiles(profiles), { iccids: ['8949449999999990031'] })).rejects.toThrow('chosen ICCIDs go with exactly one template file, not 4');
  });

  it('names the bad field of malformed metadata', () => {
    expect(() => parseProfileMetadata({ ...metadata, profileClass: 'demo' })).toThrow(new ProfileMetadataError('metadata.profileClass', 'must be one of test, provisioning, operational'));
    expect(() => parseProfileMetadata({ ...metadata, profilePolicyRules: ['ppr9'] })).toThrow('metadata.profilePolicyRules[0]: must be one of ppr1, ppr2, ppr3');
    expect(() => parseProfileMetadata({ icon })).toThrow('metadata: icon and iconType go together');
    expect(() => parseProfileMetadata({ iconType: 'png', icon: Buffer.alloc(1025).toString('base64') })).toThrow(/does not fit StoreMetadataRequest/);
    expect(() => parseProfileMetadata({ serviceProviderName: 'x'.repeat(33) })).toThrow(/does not fit StoreMetadataRequest/);
  });

  it('builds the StoreMetadataRequest the eUICC receives from the template and the profile metadata', async () => {
    const iccid = '89494499999999900237';
    await importProfiles(deps(), template, { iccids: [iccid], metadata: parseProfileMetadata(metadata) });
    const profile = await repository.transaction((tx) => tx.getProfile(iccid as IccidDigits));
    const request = StoreMetadataRequest.decode(await repository.transaction((tx) => profileMetadataFor(tx, profile!, {}, { events: ['notificationEnable'], address: 'smdp.example.com' })));
    expect(iccidToDigits(request.iccid)).toBe(iccid);
    expect(request).toMatchObject({ serviceProviderName: 'Lab Operator', profileName: 'Conformance profile', iconType: IconType.named.png, profileClass: ProfileClass.named.test });
    expect(request.icon).toHaveLength(1000);
    expect(Buffer.from(request.profileOwner?.mccMnc ?? []).toString('hex')).toBe('32f451');
    expect(profilePolicyRulesOf(request.profilePolicyRules)).toEqual(['ppr1', 'ppr2']);
    const [notifications] = request.notificationConfigurationInfo ?? [];
    expect(notifications?.notificationAddress).toBe('notify.example.com');
    expect(bitIsSet(notifications!.profileManagementOperation, NotificationEvent.named.notificationDelete)).toBe(true);
    expect(bitIsSet(notifications!.profileManagementOperation, NotificationEvent.named.notificationEnable)).toBe(false);
  });

  it('puts long metadata into several StoreMetadata segments of the BPP (SGP.22 §5.5.3, 1020 bytes each)', () => {
    const long = storeMetadataRequest('89494499999999900237' as IccidDigits, { serviceProviderName: 'sp', profileName: 'p' }, parseProfileMetadata(metadata), { events: [], address: '' });
    expect(long.length).toBeGreaterThan(1020);
    const bpp = BoundProfilePackage.decode(
      buildBoundProfilePackage({
        transactionId: Uint8Array.of(1, 2, 3, 4),
        hostId: new Uint8Array(8).fill(0x80),
        smdpOtpk: new Uint8Array(65).fill(4),
        euiccOtpk: new Uint8Array(65).fill(4),
        signWithDpPb: () => new Uint8Array(64),
        session: BspSession.derive({ sharedSecret: new Uint8Array(32).fill(7), hostId: new Uint8Array(8).fill(0x80), eid: new Uint8Array(16) }),
        storeMetadata: long,
        upp: Uint8Array.of(0xa0, 0x00),
      }),
    );
    expect(bpp.sequenceOf88.length).toBeGreaterThan(1);
  });
});
