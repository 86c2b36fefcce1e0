// Queuing of eUICC notifications (SGP.22 §3.5 / §5.7.x). Enable, disable and delete notifications are
// OtherSignedNotification values signed over DER(NotificationMetadata), queued only for the events the
// profile's notificationConfigurationInfo asks for, to the address given there.
import {
  Certificate,
  NotificationEvent,
  NotificationMetadata,
  OtherSignedNotification,
  PendingNotification,
  bitStringFromNames,
  namesInBitString,
} from '@zkesim/protocol';
import { signWithCredential } from './signing.js';
import type { EuiccState, NotificationEventName, NotificationRecord, ProfileRecord } from './state.js';

/** Returns `state` with one signed notification queued per configured destination of `event`. */
export function queueProfileNotifications(state: EuiccState, profile: ProfileRecord, event: NotificationEventName): EuiccState {
  const destinations = profile.notificationConfigurationInfo.filter((entry) =>
    namesInBitString(NotificationEvent, entry.profileManagementOperation).includes(event),
  );
  let next = state;
  for (const destination of destinations) {
    next = appendNotification(next, buildOtherSignedNotification(next, profile, event, destination.notificationAddress));
  }
  return next;
}

function buildOtherSignedNotification(state: EuiccState, profile: ProfileRecord, event: NotificationEventName, address: string): NotificationRecord {
  const credential = state.credentials[profile.credentialIndex] ?? state.credentials[0];
  if (credential === undefined) throw new Error('eUICC has no credential to sign notifications');
  const tbsOtherNotification: NotificationMetadata = {
    seqNumber: BigInt(state.nextSeqNumber),
    profileManagementOperation: bitStringFromNames(NotificationEvent, [event]),
    notificationAddress: address,
    iccid: profile.iccid,
  };
  const euiccNotificationSignature = signWithCredential(credential, NotificationMetadata.encode(tbsOtherNotification));
  const notification: OtherSignedNotification = {
    tbsOtherNotification,
    euiccNotificationSignature,
    euiccCertificate: Certificate.decode(credential.euiccCertificate),
    eumCertificate: Certificate.decode(credential.eumCertificate),
  };
  return {
    seqNumber: state.nextSeqNumber,
    profileManagementOperation: event,
    notificationAddress: address,
    iccid: profile.iccid,
    pendingNotification: PendingNotification.encode({ otherSignedNotification: notification }),
  };
}

/** Adds a notification whose seqNumber is state.nextSeqNumber and advances the counter. */
export function appendNotification(state: EuiccState, notification: NotificationRecord): EuiccState {
  return { ...state, notifications: [...state.notifications, notification], nextSeqNumber: state.nextSeqNumber + 1 };
}
