// ES10b.ListNotification (SGP.22 §5.7.9): the metadata of pending notifications, optionally of one event.
import { ListNotificationRequest, ListNotificationResponse, NotificationEvent, bitStringFromNames, namesInBitString } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

export const listNotification: Es10Handler = (request, { state }) => {
  const { profileManagementOperation } = decodeRequest(ListNotificationRequest, request);
  const wanted = profileManagementOperation === undefined ? undefined : namesInBitString(NotificationEvent, profileManagementOperation);
  const list = state.notifications
    .filter((notification) => wanted === undefined || wanted.includes(notification.profileManagementOperation))
    .map((notification) => ({
      seqNumber: BigInt(notification.seqNumber),
      profileManagementOperation: bitStringFromNames(NotificationEvent, [notification.profileManagementOperation]),
      notificationAddress: notification.notificationAddress,
      ...(notification.iccid === undefined ? {} : { iccid: notification.iccid }),
    }));
  return ListNotificationResponse.encode({ notificationMetadataList: list });
};
