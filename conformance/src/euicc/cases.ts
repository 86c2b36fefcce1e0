// eUICC cases (SGP.22 v2.2.2 §5.7, ES10a/b/c) limited to what an LPA can exercise safely: reads, a mutual
// authentication and PrepareDownload with the runner playing the SM-DP+ (then cancelled), CancelSession per
// reason, refusals with their exact error codes, and the DER exactness of every response (decoded and
// encoded again it gives back the very bytes the card sent: minimal lengths, DEFAULTs omitted, canonical order).
import { EUICCInfo1, EUICCInfo2, EuiccConfiguredAddressesResponse, GetEuiccChallengeResponse, GetEuiccDataResponse, GetRatResponse, ListNotificationResponse, ProfileInfoListResponse, RetrieveNotificationsListResponse, type Codec } from '@zkesim/protocol';
import type { EuiccCase } from './env.js';
import { infoCases } from './info.js';
import { notificationCases } from './notifications.js';
import { destructiveCases, profileCases } from './profiles.js';
import { authenticateCases, cancelSessionCases, prepareDownloadCases } from './sessionCases.js';
import { readCase } from './support.js';

export function euiccCases(destructive = false): EuiccCase[] {
  return [
    ...(destructive ? destructiveCases() : []),
    ...readCase('ES10b.GetEUICCChallenge', 'GetEUICCChallenge (§5.7.7)', 'BF2E00', GetEuiccChallengeResponse as Codec<unknown>, 'BF2E'),
    ...readCase('ES10b.GetEUICCInfo1', 'GetEUICCInfo1 (§5.7.8)', 'BF2000', EUICCInfo1 as Codec<unknown>, 'BF20'),
    ...readCase('ES10b.GetEUICCInfo2', 'GetEUICCInfo2 (§5.7.8)', 'BF2200', EUICCInfo2 as Codec<unknown>, 'BF22'),
    ...readCase('ES10a.GetEuiccConfiguredAddresses', 'GetEuiccConfiguredAddresses (§5.7.3)', 'BF3C00', EuiccConfiguredAddressesResponse as Codec<unknown>, 'BF3C'),
    ...readCase('ES10b.ListNotification', 'ListNotification (§5.7.9)', 'BF2800', ListNotificationResponse as Codec<unknown>, 'BF28'),
    ...readCase('ES10b.RetrieveNotificationsList', 'RetrieveNotificationsList (§5.7.10)', 'BF2B00', RetrieveNotificationsListResponse as Codec<unknown>, 'BF2B'),
    ...readCase('ES10b.GetRAT', 'GetRAT (§5.7.22)', 'BF4300', GetRatResponse as Codec<unknown>, 'BF43'),
    ...readCase('ES10c.GetProfilesInfo', 'GetProfilesInfo (§5.7.15)', 'BF2D00', ProfileInfoListResponse as Codec<unknown>, 'BF2D'),
    ...readCase('ES10c.GetEID', 'GetEUICCData (§5.7.20)', 'BF3E035C015A', GetEuiccDataResponse as Codec<unknown>, 'BF3E'),
    ...infoCases(),
    ...authenticateCases(),
    ...prepareDownloadCases(),
    ...cancelSessionCases(),
    ...notificationCases(),
    ...profileCases(),
  ];
}
