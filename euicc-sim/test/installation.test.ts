// ES10b.LoadBoundProfilePackage at the APDU level (SGP.22 §5.7.6): a TS.48 test profile bound by an SGP.26
// SM-DP+, sent piece by piece in chained STORE DATA blocks of 120 bytes, and every abort path.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GetEuiccChallengeResponse,
  GetRatResponse,
  ListNotificationResponse,
  PprIds,
  ProfileElement,
  bitStringFromNames,
  ProfileInfoListResponse,
  ProfileInstallationResult,
  ProfileInstallationResultData,
  RetrieveNotificationsListResponse,
  bppPieces,
  derOf,
  readTlv,
  verifyRaw,
} from '@zkesim/protocol';
import type { EuiccCard } from '../src/index.js';
import type { Quirks } from '../src/core/quirks.js';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { hex, sgp26Card, SGP26_EID, toHex } from '@zkesim/testing/euicc/sgp26Euicc';
import { TestSmdp, UPP_DIR, ts48Profile, type BppOptions, type Profile } from '@zkesim/testing/euicc/testSmdp';

interface Download {
  readonly card: EuiccCard;
  readonly es10: Es10Client;
  readonly smdp: TestSmdp;
  readonly pieces: Uint8Array[];
}

async function prepare(options: BppOptions = {}, quirks: Partial<Quirks> = {}, profile: Profile = ts48Profile(), curve: 'nist' | 'brp' = 'nist'): Promise<Download> {
  const card = sgp26Card(quirks);
  const es10 = await Es10Client.open(card);
  const smdp = new TestSmdp(curve);
  const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
  const authenticateServerResponse = await es10.send(smdp.initiateAuthentication(euiccChallenge));
  const prepareDownloadResponse = await es10.send(smdp.authenticateClient(authenticateServerResponse));
  const pieces = bppPieces(smdp.boundProfilePackage(prepareDownloadResponse, hex(SGP26_EID), profile, options));
  return { card, es10, smdp, pieces };
}

/** Sends pieces until the eUICC answers with data (the PIR); returns it and how many pieces were sent. */
async function load(download: Download, pieces = download.pieces): Promise<{ pir: ProfileInstallationResult; sent: number }> {
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index];
    if (piece === undefined) break;
    const response = await download.es10.send(piece);
    if (response.length > 0) return { pir: ProfileInstallationResult.decode(response), sent: index + 1 };
  }
  throw new Error('no ProfileInstallationResult');
}

function errorOf(pir: ProfileInstallationResult): { bppCommandId: number; errorReason: number } | undefined {
  const result = pir.profileInstallationResultData.finalResult;
  return 'errorResult' in result ? { bppCommandId: result.errorResult.bppCommandId, errorReason: result.errorResult.errorReason } : undefined;
}

async function profileCount(es10: Es10Client): Promise<number> {
  const list = ProfileInfoListResponse.decode(await es10.send(hex('BF2D00')));
  return 'profileInfoListOk' in list ? list.profileInfoListOk.length : -1;
}

describe('ES10b.LoadBoundProfilePackage: successful installation', () => {
  for (const curve of ['nist', 'brp'] as const) {
    it(`installs a TS.48 profile (${curve}) and answers the last 86 segment with a signed success PIR`, async () => {
      const profile = ts48Profile();
      const download = await prepare({ dpOid: '2.999.10' }, {}, profile, curve);
      const { pir, sent } = await load(download);
      expect(sent).toBe(download.pieces.length);
      const data = pir.profileInstallationResultData;
      expect(data.finalResult).toHaveProperty('successResult');
      expect(data.transactionId).toEqual(download.smdp.transactionId);
      expect(data.notificationMetadata.iccid).toEqual(profile.iccid);
      expect(verifyRaw(download.smdp.pki.euicc.publicKey, derOf(data), pir.euiccSignPIR)).toBe(true);
      expect(ProfileInstallationResultData.encode(data)).toEqual(derOf(data));

      const list = ProfileInfoListResponse.decode(await download.es10.send(hex('BF2D00')));
      if (!('profileInfoListOk' in list)) throw new Error('expected a profile list');
      expect(list.profileInfoListOk).toHaveLength(1);
      expect(list.profileInfoListOk[0]).toMatchObject({ iccid: profile.iccid, profileState: 0, profileName: 'TS.48 test profile', dpProprietaryData: { dpOid: '2.999.10' } });
      const installed = download.card.state.profiles[0];
      expect(installed?.networkAccess.imsi).toBeDefined();
      expect(installed?.profileElements.length).toBeGreaterThan(5);
    });
  }

  // TS.48 packages carry the ProfileHeader ICCID in plain digit order, StoreMetadata (SGP.22 Iccid) carries
  // EF.ICCID order: the card compares the digits. The packages are bound unmodified by the test SM-DP+ peer's
  // own BPP assembly (testBpp.ts), not by the SM-DP+'s code.
  for (const file of readdirSync(UPP_DIR).filter((name) => name.endsWith('.der'))) {
    it(`installs the unmodified TS.48 package ${file} (header ICCID in plain order, StoreMetadata in EF.ICCID order)`, async () => {
      const profile = ts48Profile(file);
      const header = ProfileElement.decode(readTlv(profile.upp).tlv);
      expect('header' in header && toHex(header.header.iccid).startsWith('894944')).toBe(true);
      expect(toHex(profile.iccid).startsWith('989444')).toBe(true);
      const { pir } = await load(await prepare({}, {}, profile));
      expect(errorOf(pir)).toBeUndefined();
      expect(pir.profileInstallationResultData.notificationMetadata.iccid).toEqual(profile.iccid);
    });
  }

  // The test peer's packages come from its own assembly (testBpp.ts); the SM-DP+'s ES8+ builder must produce
  // packages the card installs into the very same profile, though it segments the UPP differently.
  it('installs the same profile from the test peer\'s package and from the SM-DP+\'s ES8+ builder', async () => {
    const profile = ts48Profile();
    const installed = [];
    const segmentCounts = [];
    for (const builder of ['test-peer', 'sm-dp-plus'] as const) {
      const download = await prepare({ builder, dpOid: '2.999.10' }, {}, profile);
      const { pir } = await load(download);
      expect(errorOf(pir)).toBeUndefined();
      segmentCounts.push(download.pieces.length);
      installed.push(download.card.state.profiles[0]);
    }
    // Different segmentation: the peer cuts at profile element boundaries, the SM-DP+ in 1007-byte chunks.
    expect(segmentCounts[0]).not.toBe(segmentCounts[1]);
    const [fromPeer, fromSmdp] = installed;
    expect(fromPeer?.profileElements.length).toBeGreaterThan(5);
    expect(fromSmdp).toEqual(fromPeer);
  });

  it('keeps the PIR as install notification until RemoveNotificationFromList', async () => {
    const download = await prepare();
    const { pir } = await load(download);
    const listed = ListNotificationResponse.decode(await download.es10.send(hex('BF2800')));
    expect(listed).toMatchObject({ notificationMetadataList: [{ seqNumber: 0n, notificationAddress: 'testsmdpplus1.example.com' }] });
    const retrieved = RetrieveNotificationsListResponse.decode(await download.es10.send(hex('BF2B05A003800100')));
    if (!('notificationList' in retrieved)) throw new Error('expected a notification list');
    expect(retrieved.notificationList[0]).toEqual({ profileInstallationResult: pir });
    expect(toHex(await download.es10.send(hex('BF3003800100')))).toBe('BF3003800100');
    expect(ListNotificationResponse.decode(await download.es10.send(hex('BF2800')))).toEqual({ notificationMetadataList: [] });
  });

  it('installs with ReplaceSessionKeys (PPK keys for the 86 segments, counter restarted)', async () => {
    const download = await prepare({ replaceSessionKeys: true });
    const { pir } = await load(download);
    expect(pir.profileInstallationResultData.finalResult).toHaveProperty('successResult');
  });
});

describe('ES10b.LoadBoundProfilePackage: aborted installations leave no profile', () => {
  it('refuses a bad MAC in an 86 segment with scp03tSecurityError(8)', async () => {
    const download = await prepare();
    const pieces = download.pieces.map((piece) => Uint8Array.from(piece));
    const last = pieces[pieces.length - 2];
    if (last === undefined) throw new Error('BPP too short');
    last[last.length - 1] = (last[last.length - 1] ?? 0) ^ 0x01;
    const { pir } = await load(download, pieces);
    expect(errorOf(pir)).toEqual({ bppCommandId: 5, errorReason: 8 });
    expect(await profileCount(download.es10)).toBe(0);
    expect(download.card.state.notifications).toHaveLength(1);
  });

  it('refuses pieces out of order with scp03tStructureError(7)', async () => {
    const download = await prepare();
    const [first, , ...rest] = download.pieces;
    if (first === undefined) throw new Error('BPP too short');
    const { pir, sent } = await load(download, [first, ...rest]);
    expect(sent).toBe(2);
    expect(errorOf(pir)).toEqual({ bppCommandId: 1, errorReason: 7 });
    expect(await profileCount(download.es10)).toBe(0);
  });

  it('refuses a StoreMetadata ICCID that differs from the ProfileHeader with installFailedDueToIccidMismatch(13)', async () => {
    const download = await prepare({ metadata: { iccid: hex('98001032547698103214') } });
    const { pir } = await load(download);
    expect(errorOf(pir)).toEqual({ bppCommandId: 5, errorReason: 13 });
    expect(await profileCount(download.es10)).toBe(0);
  });

  it('installs a profile with PPR1 and PPR2 that the Rules Authorisation Table grants to its owner', async () => {
    const profilePolicyRules = bitStringFromNames(PprIds, ['ppr1', 'ppr2']);
    const download = await prepare({ metadata: { profilePolicyRules, profileOwner: { mccMnc: hex('09f110') } } });
    const { pir } = await load(download);
    expect(errorOf(pir)).toBeUndefined();
    expect(download.card.state.profiles[0]?.profilePolicyRules).toEqual(profilePolicyRules);
  });

  it('refuses PPR1 that the Rules Authorisation Table does not grant with pprNotAllowed(15), leaving no profile', async () => {
    const download = await prepare({ metadata: { profilePolicyRules: bitStringFromNames(PprIds, ['ppr1']), profileOwner: { mccMnc: hex('09f110') } } }, { ratGrantsNoPolicyRules: true });
    const rat = GetRatResponse.decode(await download.es10.send(hex('BF4300')));
    expect(rat.rat).toEqual([]);
    const { pir } = await load(download);
    expect(errorOf(pir)).toEqual({ bppCommandId: 2, errorReason: 15 });
    expect(await profileCount(download.es10)).toBe(0);
  });

  it('refuses a profile larger than free memory with installFailedDueToInsufficientMemoryForProfile(10)', async () => {
    const download = await prepare({}, { totalMemoryBytes: 2000 });
    const { pir, sent } = await load(download);
    expect(sent).toBeLessThan(download.pieces.length);
    expect(errorOf(pir)).toEqual({ bppCommandId: 5, errorReason: 10 });
    expect(download.card.state.profiles).toHaveLength(0);
  });

  it('refuses the same ICCID twice with installFailedDueToIccidAlreadyExistsOnEuicc(9)', async () => {
    const download = await prepare();
    await load(download);
    const again = new TestSmdp();
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await download.es10.send(hex('BF2E00')));
    const response = await download.es10.send(again.initiateAuthentication(euiccChallenge));
    const prepared = await download.es10.send(again.authenticateClient(response));
    const pieces = bppPieces(again.boundProfilePackage(prepared, hex(SGP26_EID), ts48Profile()));
    const { pir } = await load(download, pieces);
    expect(errorOf(pir)).toEqual({ bppCommandId: 2, errorReason: 9 });
    expect(await profileCount(download.es10)).toBe(1);
  });

  it('answers 6985 to a BPP piece without a prepared download', async () => {
    const download = await prepare();
    await download.es10.send(hex('BF2E00'));
    expect((await download.es10.sendRaw(download.pieces[0] ?? new Uint8Array(0))).sw).toBe(0x6985);
  });

  it('records installFailedDueToInterruption(11) when a card reset or a new session cuts a BPP short', async () => {
    for (const interrupt of ['reset', 'challenge'] as const) {
      const download = await prepare();
      for (const piece of download.pieces.slice(0, 5)) expect(await download.es10.send(piece)).toHaveLength(0);
      if (interrupt === 'reset') download.card.reset();
      else await download.es10.send(hex('BF2E00'));
      expect(download.card.state.profiles).toHaveLength(0);
      const stored = download.card.state.notifications[0]?.pendingNotification;
      expect(errorOf(ProfileInstallationResult.decode(stored ?? new Uint8Array()))).toEqual({ bppCommandId: 5, errorReason: 11 });
    }
  });
});
