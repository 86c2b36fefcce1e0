// ES10c profile management and the notifications it queues (SGP.22 §5.7.15-§5.7.21, §3.5), on profiles
// installed through real BPPs.
import { describe, expect, it } from 'vitest';
import {
  GetEuiccChallengeResponse,
  AuthenticateServerResponse,
  CertificateList,
  LoadCRLRequest,
  LoadCRLResponse,
  NotificationEvent,
  ProfileInfoListResponse,
  RetrieveNotificationsListResponse,
  bitStringFromNames,
  derOf,
  verifyRaw,
  type ProfileInfo,
} from '@zkesim/protocol';
import { issueCrl } from '@zkesim/pki';
import type { ApduTransport } from '@zkesim/protocol';
import { createEuicc } from '../src/index.js';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { installProfile, profileWithIccid } from '@zkesim/testing/euicc/download';
import { hex, sgp26Card, sgp26EuiccState, TEST_NOW, testDeps, toHex } from '@zkesim/testing/euicc/sgp26Euicc';
import { TestSmdp } from '@zkesim/testing/euicc/testSmdp';

const ICCID_A = hex('98001032547698103214');
const ICCID_B = hex('98001032547698103224');
const allEvents = bitStringFromNames(NotificationEvent, ['notificationEnable', 'notificationDisable', 'notificationDelete']);
const metadata = {
  notificationConfigurationInfo: [{ profileManagementOperation: allEvents, notificationAddress: 'notify.example.com' }],
  icon: new Uint8Array(1024).fill(0x42),
  iconType: 1,
};

async function profiles(es10: Es10Client, request = 'BF2D00'): Promise<ProfileInfo[]> {
  const list = ProfileInfoListResponse.decode(await es10.send(hex(request)));
  if (!('profileInfoListOk' in list)) throw new Error('expected a profile list');
  return list.profileInfoListOk;
}

/** Counts GET RESPONSE commands on the way to the card. */
function counting(transport: ApduTransport): ApduTransport & { getResponses: number } {
  const wrapper = {
    getResponses: 0,
    transmit: async (apdu: Uint8Array) => {
      if (apdu[1] === 0xc0) wrapper.getResponses += 1;
      return transport.transmit(apdu);
    },
  };
  return wrapper;
}

describe('ES10c profile lifecycle with notifications', () => {
  it('enables, disables, renames and deletes, queuing signed notifications for the configured events', async () => {
    const card = sgp26Card();
    await installProfile(card, profileWithIccid(ICCID_A), { metadata });
    const es10 = await Es10Client.open(card);
    const iccidTlv = '5A0A' + toHex(ICCID_A);
    expect(toHex(await es10.send(hex(`BF3111A00C${iccidTlv}8101FF`)))).toBe('BF3103800100');
    expect(toHex(await es10.send(hex(`BF3111A00C${iccidTlv}8101FF`)))).toBe('BF3103800102');
    expect(toHex(await es10.send(hex(`BF330C${iccidTlv}`)))).toBe('BF3303800102');
    expect((await profiles(es10))[0]?.profileState).toBe(1);
    expect(toHex(await es10.send(hex(`BF3211A00C${iccidTlv}810100`)))).toBe('BF3203800100');
    expect(toHex(await es10.send(hex(`BF3217A012${'4F10' + toHex(card.state.profiles[0]?.isdpAid ?? new Uint8Array())}810100`)))).toBe('BF3203800102');
    expect(toHex(await es10.send(hex(`BF2913${iccidTlv}9005576F726B21`)))).toBe('BF2903800100');
    expect(toHex(await es10.send(hex(`BF330C${iccidTlv}`)))).toBe('BF3303800100');

    const retrieved = RetrieveNotificationsListResponse.decode(await es10.send(hex('BF2B00')));
    if (!('notificationList' in retrieved)) throw new Error('expected notifications');
    const events = retrieved.notificationList.map((n) => ('otherSignedNotification' in n ? n.otherSignedNotification.tbsOtherNotification.seqNumber : 'PIR'));
    expect(events).toEqual(['PIR', 1n, 2n, 3n]);
    for (const notification of retrieved.notificationList) {
      if (!('otherSignedNotification' in notification)) continue;
      const signed = notification.otherSignedNotification;
      expect(signed.tbsOtherNotification.notificationAddress).toBe('notify.example.com');
      const euiccKey = new TestSmdp().pki.euicc.publicKey;
      expect(verifyRaw(euiccKey, derOf(signed.tbsOtherNotification), signed.euiccNotificationSignature)).toBe(true);
    }
  });

  it('filters GetProfilesInfo by tagList and searchCriteria and chains a long list through GET RESPONSE', async () => {
    const card = sgp26Card();
    await installProfile(card, profileWithIccid(ICCID_A), { metadata });
    await installProfile(card, profileWithIccid(ICCID_B), { metadata: { ...metadata, profileClass: 0 } });
    const transport = counting(card);
    const es10 = await Es10Client.open(transport);
    const all = await profiles(es10);
    expect(all).toHaveLength(2);
    expect(all[0]?.icon).toHaveLength(1024);
    expect(transport.getResponses).toBeGreaterThanOrEqual(9);
    expect(await profiles(es10, 'BF2D065C045A909F70')).toEqual([
      { iccid: ICCID_A, profileState: 0 },
      { iccid: ICCID_B, profileState: 0 },
    ]);
    expect((await profiles(es10, 'BF2D08A00395010 05C015A'.replace(/ /g, '')))).toEqual([{ iccid: ICCID_B }]);
    expect((await profiles(es10, `BF2D11A00C5A0A${toHex(ICCID_A)}5C0192`))).toEqual([{ profileName: 'TS.48 test profile' }]);
  });

  it('eUICCMemoryReset deletes operational profiles and queues their delete notifications', async () => {
    const card = sgp26Card();
    await installProfile(card, profileWithIccid(ICCID_A), { metadata });
    await installProfile(card, profileWithIccid(ICCID_B), { metadata: { ...metadata, profileClass: 0 } });
    const es10 = await Es10Client.open(card);
    expect(toHex(await es10.send(hex('BF340482020780')))).toBe('BF3403800100');
    expect((await profiles(es10)).map((p) => p.iccid)).toEqual([ICCID_B]);
    expect(card.state.notifications.map((n) => n.profileManagementOperation)).toEqual(['notificationInstall', 'notificationInstall', 'notificationDelete']);
    expect(toHex(await es10.send(hex('BF340482020780')))).toBe('BF3403800101');
  });
});

describe('ES10b.LoadCRL (SGP.22 §5.7.12)', () => {
  it('accepts a CRL of the SGP.26 CI and then refuses the revoked CERT.DPauth', async () => {
    const card = sgp26Card();
    const smdp = new TestSmdp();
    const crl = issueCrl({
      issuer: smdp.pki.ci,
      thisUpdate: new Date(TEST_NOW.getTime() - 3600_000),
      nextUpdate: new Date(TEST_NOW.getTime() + 86_400_000),
      crlNumber: 1,
      revoked: [{ serialNumber: smdp.pki.dpauth.certificate.serialNumber, revocationDate: new Date(TEST_NOW.getTime() - 60_000) }],
    });
    const es10 = await Es10Client.open(card);
    const request = LoadCRLRequest.encode({ crl: CertificateList.decode(crl.der) });
    expect(LoadCRLResponse.decode(await es10.send(request))).toEqual({ loadCRLResponseOk: {} });
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
    const response = AuthenticateServerResponse.decode(await es10.send(smdp.initiateAuthentication(euiccChallenge)));
    expect(response).toMatchObject({ authenticateResponseError: { authenticateErrorCode: 1 } });
  });

  it('answers verificationKeyNotFound(4) for a CRL issued by a CI the eUICC does not trust', async () => {
    const brp = new TestSmdp('brp');
    const crl = issueCrl({ issuer: brp.pki.ci, thisUpdate: TEST_NOW, nextUpdate: new Date(TEST_NOW.getTime() + 1000), crlNumber: 1, revoked: [] });
    const state = sgp26EuiccState();
    const card = createEuicc({ state: { ...state, trustedCiCertificates: state.trustedCiCertificates.slice(0, 1) }, deps: testDeps() });
    const es10 = await Es10Client.open(card);
    const request = LoadCRLRequest.encode({ crl: CertificateList.decode(crl.der) });
    expect(LoadCRLResponse.decode(await es10.send(request))).toEqual({ loadCRLResponseError: 4 });
  });
});
