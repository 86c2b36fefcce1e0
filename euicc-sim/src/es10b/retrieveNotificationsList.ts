// ES10b.RetrieveNotificationsList (SGP.22 §5.7.10): the signed pending notifications (PIR 'BF37' or
// OtherSignedNotification '30'), all, one by seqNumber, or those of one event.
import {
  NotificationEvent, PendingNotification, RetrieveNotificationsListRequest, RetrieveNotificationsListResponse,
  RetrieveNotificationsListResponse_notificationsListResultError, namesInBitString,
} from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';
import type { NotificationRecord } from '../core/state.js';

export const retrieveNotificationsList: Es10Handler = (request, { state }) => {
  const { searchCriteria } = decodeRequest(RetrieveNotificationsListRequest, request);
  let selected: readonly NotificationRecord[] = state.notifications;
  if (searchCriteria !== undefined && 'seqNumber' in searchCriteria) {
    selected = state.notifications.filter((n) => BigInt(n.seqNumber) === searchCriteria.seqNumber);
  } else if (searchCriteria !== undefined) {
    const wanted = namesInBitString(NotificationEvent, searchCriteria.profileManagementOperation);
    selected = state.notifications.filter((n) => wanted.includes(n.profileManagementOperation));
  }
  // SPEC-AMBIGUITY: SGP.22 defines noResultAvailable(1) without saying when an empty list is enough; we
  // answer it when a search criterion matched nothing, and an empty list when nothing is pending at all.
  if (selected.length === 0 && searchCriteria !== undefined) {
    return RetrieveNotificationsListResponse.encode({ notificationsListResultError: RetrieveNotificationsListResponse_notificationsListResultError.noResultAvailable });
  }
  const notificationList = selected.map((n) => PendingNotification.decode(n.pendingNotification));
  return RetrieveNotificationsListResponse.encode({ notificationList });
};
