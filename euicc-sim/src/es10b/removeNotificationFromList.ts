// ES10b.RemoveNotificationFromList (SGP.22 §5.7.11): NotificationSentRequest 'BF30' removes one notification.
import { NotificationSentRequest, NotificationSentResponse, NotificationSentResponse_deleteNotificationStatus } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

const status = NotificationSentResponse_deleteNotificationStatus;

export const removeNotificationFromList: Es10Handler = (request, context) => {
  const { seqNumber } = decodeRequest(NotificationSentRequest, request);
  const remaining = context.state.notifications.filter((n) => BigInt(n.seqNumber) !== seqNumber);
  if (remaining.length === context.state.notifications.length) {
    return NotificationSentResponse.encode({ deleteNotificationStatus: status.nothingToDelete });
  }
  context.commit({ ...context.state, notifications: remaining });
  return NotificationSentResponse.encode({ deleteNotificationStatus: status.ok });
};
