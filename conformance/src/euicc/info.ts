// ES10a/ES10b information cases: GetEUICCChallenge, GetEUICCInfo1/2, GetEuiccConfiguredAddresses, ListNotification, RemoveNotificationFromList.
import { EUICCInfo1, EUICCInfo2, EuiccConfiguredAddressesResponse, ListNotificationResponse, NotificationSentRequest, NotificationSentResponse, NotificationSentResponse_deleteNotificationStatus } from '@zkesim/protocol';
import { subjectKeyIdentifierOf } from '@zkesim/pki';
import type { EuiccCase } from './env.js';
import { hex, fromHex, decode, exact } from './support.js';

export function infoCases(): EuiccCase[] {
  return [
    {
      id: 'ES10b.GetEUICCChallenge.length',
      title: 'GetEUICCChallenge answers BF2E 12 80 10 and 16 bytes (§5.7.7)',
      run: async (t, env) => {
        const response = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        t.equal('response header', 'BF2E128010', hex(response.slice(0, 5)));
        t.equal('response length', '21', String(response.length));
      },
    },
    {
      id: 'ES10b.GetEUICCChallenge.fresh',
      title: 'two GetEUICCChallenge calls give different challenges (§5.7.7)',
      run: async (t, env) => {
        const a = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        const b = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        t.ok(hex(a) !== hex(b), 'the challenges differ', hex(a));
      },
    },
    {
      id: 'ES10b.GetEUICCInfo1.svn',
      title: 'euiccInfo1 has a 3-byte SVN of major version 2 and non-empty CI key id lists (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        t.equal('svn length', '3', String(info.svn.length));
        t.equal('svn major', '2', String(info.svn[0]));
        t.ok(info.euiccCiPKIdListForVerification.length > 0, 'euiccCiPKIdListForVerification is not empty');
        t.ok(info.euiccCiPKIdListForSigning.length > 0, 'euiccCiPKIdListForSigning is not empty');
      },
    },
    {
      id: 'ES10b.GetEUICCInfo1.trustsCi',
      title: 'euiccInfo1 names the CI the runner signs under, for verification and signing (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        const ci = hex(subjectKeyIdentifierOf(env.server.ci));
        t.ok(info.euiccCiPKIdListForVerification.map(hex).includes(ci), `euiccCiPKIdListForVerification contains ${ci}`);
        t.ok(info.euiccCiPKIdListForSigning.map(hex).includes(ci), `euiccCiPKIdListForSigning contains ${ci}`);
      },
    },
    {
      id: 'ES10b.GetEUICCInfo2.matchesInfo1',
      title: 'euiccInfo2 repeats euiccInfo1\'s SVN and CI key id lists (§5.7.8)',
      run: async (t, env) => {
        const info1 = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        const info2 = decode(t, 'EUICCInfo2', EUICCInfo2, await env.send('GetEUICCInfo2', fromHex('BF2200')));
        t.equal('svn', hex(info1.svn), hex(info2.svn));
        t.equal('euiccCiPKIdListForVerification', info1.euiccCiPKIdListForVerification.map(hex).join(','), info2.euiccCiPKIdListForVerification.map(hex).join(','));
        t.equal('euiccCiPKIdListForSigning', info1.euiccCiPKIdListForSigning.map(hex).join(','), info2.euiccCiPKIdListForSigning.map(hex).join(','));
      },
    },
    {
      id: 'ES10b.GetEUICCInfo2.versions',
      title: 'euiccInfo2 has 3-byte profileVersion, euiccFirmwareVer and ppVersion (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo2', EUICCInfo2, await env.send('GetEUICCInfo2', fromHex('BF2200')));
        t.equal('profileVersion length', '3', String(info.profileVersion.length));
        t.equal('euiccFirmwareVer length', '3', String(info.euiccFirmwareVer.length));
        t.equal('ppVersion length', '3', String(info.ppVersion.length));
      },
    },
    {
      id: 'ES10a.GetEuiccConfiguredAddresses.rootDs',
      title: 'GetEuiccConfiguredAddresses answers a non-empty rootDsAddress (§5.7.3)',
      run: async (t, env) => {
        const addresses = decode(t, 'EuiccConfiguredAddressesResponse', EuiccConfiguredAddressesResponse, await env.send('GetEuiccConfiguredAddresses', fromHex('BF3C00')));
        t.ok(addresses.rootDsAddress.length > 0, 'rootDsAddress is not empty');
      },
    },
    {
      id: 'ES10b.ListNotification.metadata',
      title: 'ListNotification answers each notification with a sequence number and a notification address (§5.7.9)',
      run: async (t, env) => {
        const decoded = decode(t, 'ListNotificationResponse', ListNotificationResponse, await env.send('ListNotification', fromHex('BF2800')));
        if (!('notificationMetadataList' in decoded)) return t.fail(`listNotificationsResultError ${JSON.stringify(decoded)}`);
        t.ok(true, `notificationMetadataList of ${decoded.notificationMetadataList.length}`);
        for (const metadata of decoded.notificationMetadataList) t.ok(metadata.notificationAddress.length > 0, `notification ${metadata.seqNumber} has an address`);
      },
    },
    {
      id: 'ES10b.RemoveNotificationFromList.unknown',
      title: 'RemoveNotificationFromList of a sequence number that does not exist: nothingToDelete(1) (§5.7.11)',
      run: async (t, env) => {
        const response = await env.send('RemoveNotificationFromList', NotificationSentRequest.encode({ seqNumber: 0x7ffffff0n }));
        t.equal('deleteNotificationStatus', String(NotificationSentResponse_deleteNotificationStatus.nothingToDelete), String(decode(t, 'NotificationSentResponse', NotificationSentResponse, response).deleteNotificationStatus));
        exact(t, 'NotificationSentResponse', NotificationSentResponse, response);
      },
    },
  ];
}
