// ES10a/ES10b/ES10c functions that need no server, at the APDU level (SGP.22 §5.7).
import { describe, expect, it } from 'vitest';
import {
  EUICCInfo1,
  EUICCInfo2,
  EuiccConfiguredAddressesResponse,
  GetEuiccChallengeResponse,
  GetEuiccDataResponse,
  GetRatResponse,
  ListNotificationResponse,
  ProfileInfoListResponse,
  RetrieveNotificationsListResponse,
  SetDefaultDpAddressResponse,
} from '@zkesim/protocol';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { CI_PKID_BRP, CI_PKID_NIST, hex, sgp26Card, SGP26_EID, toHex } from '@zkesim/testing/euicc/sgp26Euicc';

async function client(): Promise<Es10Client> {
  return Es10Client.open(sgp26Card());
}

describe('ES10c.GetEID (SGP.22 §5.7.20)', () => {
  it('answers BF3E 5A <EID> to lpac\'s exact command', async () => {
    const card = sgp26Card();
    const es10 = await Es10Client.open(card);
    expect(toHex(await es10.send(hex('BF3E035C015A')))).toBe(`BF3E125A10${SGP26_EID}`);
    expect(GetEuiccDataResponse.decode(await es10.send(hex('BF3E035C015A'))).eidValue).toEqual(hex(SGP26_EID));
  });

  it('answers 6A88 for a tagList other than 5A and 6A80 for a malformed request', async () => {
    const es10 = await client();
    expect((await es10.sendRaw(hex('BF3E035C014F'))).sw).toBe(0x6a88);
    expect((await es10.sendRaw(hex('BF3E035C'))).sw).toBe(0x6a80);
  });
});

describe('ES10b.GetEUICCChallenge and GetEUICCInfo (SGP.22 §5.7.7, §5.7.8)', () => {
  it('returns a 16-byte challenge that changes on every call', async () => {
    const es10 = await client();
    const first = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00'))).euiccChallenge;
    const second = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00'))).euiccChallenge;
    expect(first.length).toBe(16);
    expect(toHex(first)).not.toBe(toHex(second));
  });

  it('lists both SGP.26 CI key identifiers in EUICCInfo1 and EUICCInfo2', async () => {
    const es10 = await client();
    const info1 = EUICCInfo1.decode(await es10.send(hex('BF2000')));
    expect(toHex(info1.svn)).toBe('020202');
    expect(info1.euiccCiPKIdListForSigning.map(toHex)).toEqual([toHex(CI_PKID_NIST), toHex(CI_PKID_BRP)]);
    expect(info1.euiccCiPKIdListForVerification.map(toHex)).toEqual([toHex(CI_PKID_NIST), toHex(CI_PKID_BRP)]);
    const info2 = EUICCInfo2.decode(await es10.send(hex('BF2200')));
    expect(toHex(info2.svn)).toBe('020202');
    expect(info2.euiccCiPKIdListForSigning).toHaveLength(2);
  });
});

describe('ES10a addresses (SGP.22 §5.7.3, §5.7.4)', () => {
  it('sets, reads and clears the default SM-DP+ address', async () => {
    const es10 = await client();
    const initial = EuiccConfiguredAddressesResponse.decode(await es10.send(hex('BF3C00')));
    expect(initial).toEqual({ rootDsAddress: 'lpa.ds.gsma.com' });
    const set = await es10.send(hex('BF3F0E800C736D64702E6578616D706C65'));
    expect(SetDefaultDpAddressResponse.decode(set).setDefaultDpAddressResult).toBe(0);
    expect(EuiccConfiguredAddressesResponse.decode(await es10.send(hex('BF3C00'))).defaultDpAddress).toBe('smdp.example');
    await es10.send(hex('BF3F028000'));
    expect(EuiccConfiguredAddressesResponse.decode(await es10.send(hex('BF3C00'))).defaultDpAddress).toBeUndefined();
  });
});

describe('ES10b notifications and RAT on an empty eUICC', () => {
  it('lists no notifications, finds no seqNumber and returns the RAT', async () => {
    const es10 = await client();
    expect(ListNotificationResponse.decode(await es10.send(hex('BF2800')))).toEqual({ notificationMetadataList: [] });
    expect(RetrieveNotificationsListResponse.decode(await es10.send(hex('BF2B00')))).toEqual({ notificationList: [] });
    expect(RetrieveNotificationsListResponse.decode(await es10.send(hex('BF2B05A003800100')))).toEqual({ notificationsListResultError: 1 });
    expect(toHex(await es10.send(hex('BF3003800100')))).toBe('BF3003800101');
    expect(GetRatResponse.decode(await es10.send(hex('BF4300'))).rat).toHaveLength(1);
  });
});

describe('ES10c on an empty eUICC', () => {
  it('returns an empty ProfileInfoList and iccidOrAidNotFound for enable/disable/delete/nickname', async () => {
    const es10 = await client();
    expect(ProfileInfoListResponse.decode(await es10.send(hex('BF2D00')))).toEqual({ profileInfoListOk: [] });
    const iccid = '5A0A98001032547698103214';
    expect(toHex(await es10.send(hex(`BF3111A00C${iccid}8101FF`)))).toBe('BF3103800101');
    expect(toHex(await es10.send(hex(`BF3211A00C${iccid}810100`)))).toBe('BF3203800101');
    expect(toHex(await es10.send(hex(`BF330C${iccid}`)))).toBe('BF3303800101');
    expect(toHex(await es10.send(hex(`BF2910${iccid}90024142`)))).toBe('BF2903800101');
    expect(toHex(await es10.send(hex('BF340482020780')))).toBe('BF3403800101');
  });

  it('answers 6A88 for an unknown ES10 tag and 6A80 for a broken TLV', async () => {
    const es10 = await client();
    expect((await es10.sendRaw(hex('BF7F00'))).sw).toBe(0x6a88);
    expect((await es10.sendRaw(hex('BF2D05A003'))).sw).toBe(0x6a80);
  });
});
