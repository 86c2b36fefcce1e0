// The ES10 functions of SGP.22 §5.7 by the tag of their request, and the project's vendor extension.
import { GET_SUBSCRIBER_IDENTITY_TAG } from '@zkesim/protocol';
import type { Es10Handler } from './core/euicc.js';
import { getEuiccConfiguredAddresses } from './es10a/getEuiccConfiguredAddresses.js';
import { setDefaultDpAddress } from './es10a/setDefaultDpAddress.js';
import { authenticateServer } from './es10b/authenticateServer.js';
import { cancelSession } from './es10b/cancelSession.js';
import { getEuiccChallenge } from './es10b/getEuiccChallenge.js';
import { getEuiccInfo1 } from './es10b/getEuiccInfo1.js';
import { getEuiccInfo2 } from './es10b/getEuiccInfo2.js';
import { getRat } from './es10b/getRat.js';
import { listNotification } from './es10b/listNotification.js';
import { loadBoundProfilePackage } from './es10b/loadBoundProfilePackage.js';
import { loadCrl } from './es10b/loadCrl.js';
import { prepareDownload } from './es10b/prepareDownload.js';
import { removeNotificationFromList } from './es10b/removeNotificationFromList.js';
import { retrieveNotificationsList } from './es10b/retrieveNotificationsList.js';
import { deleteProfile } from './es10c/deleteProfile.js';
import { disableProfile } from './es10c/disableProfile.js';
import { enableProfile } from './es10c/enableProfile.js';
import { euiccMemoryReset } from './es10c/euiccMemoryReset.js';
import { getEid } from './es10c/getEid.js';
import { getProfilesInfo } from './es10c/getProfilesInfo.js';
import { setNickname } from './es10c/setNickname.js';
import { getSubscriberIdentity } from './vendor/getSubscriberIdentity.js';

export const es10Handlers: ReadonlyMap<number, Es10Handler> = new Map<number, Es10Handler>([
  // ES10a
  [0xbf3c, getEuiccConfiguredAddresses],
  [0xbf3f, setDefaultDpAddress],
  // ES10b
  [0xbf2e, getEuiccChallenge],
  [0xbf20, getEuiccInfo1],
  [0xbf22, getEuiccInfo2],
  [0xbf28, listNotification],
  [0xbf2b, retrieveNotificationsList],
  [0xbf30, removeNotificationFromList],
  [0xbf43, getRat],
  [0xbf35, loadCrl],
  [0xbf38, authenticateServer],
  [0xbf21, prepareDownload],
  [0xbf41, cancelSession],
  // LoadBoundProfilePackage: every piece of the BPP (SGP.22 §5.7.6, cut as in §2.5.5).
  ...[0xbf36, 0xa0, 0xa1, 0x88, 0xa2, 0xa3, 0x86].map((tag): [number, Es10Handler] => [tag, loadBoundProfilePackage]),
  // ES10c
  [0xbf2d, getProfilesInfo],
  [0xbf31, enableProfile],
  [0xbf32, disableProfile],
  [0xbf33, deleteProfile],
  [0xbf34, euiccMemoryReset],
  [0xbf3e, getEid],
  [0xbf29, setNickname],
  // Vendor extension (protocol/asn1/ZkesimIdentity.asn): a PRIVATE-class tag, outside SGP.22's BF20..BF43.
  [GET_SUBSCRIBER_IDENTITY_TAG, getSubscriberIdentity],
]);
