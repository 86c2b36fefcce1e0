// Notification handling by the LPA (SGP.22 v2.2.2 §3.5; ES10b.ListNotification / RetrieveNotificationsList /
// RemoveNotificationFromList, ES9+.HandleNotification): each pending notification goes to the SM-DP+ named
// in its notificationAddress and is removed from the eUICC once that server has accepted it.
import { derOf, namesInBitString, NotificationEvent, type NotificationMetadata, type PendingNotification } from '@zkesim/protocol';
import type { LpaContext } from './context.js';
import { listNotification, removeNotificationFromList, retrieveNotificationsList } from './es10-client/es10b.js';

export type NotificationEventName = keyof typeof NotificationEvent.named;

export interface NotificationSummary {
  readonly seqNumber: bigint;
  readonly event: NotificationEventName | 'unknown';
  readonly notificationAddress: string;
  readonly iccid?: Uint8Array;
}

export interface NotificationOutcome extends NotificationSummary {
  /** 'sent and removed', or what went wrong (the notification stays on the eUICC then). */
  readonly status: 'removed' | 'failed';
  readonly error?: string;
}

/** Which notifications an operation processes. */
export interface NotificationFilter {
  readonly seqNumbers?: readonly bigint[];
  readonly iccid?: Uint8Array;
  readonly events?: readonly NotificationEventName[];
}

export function summarize(metadata: NotificationMetadata): NotificationSummary {
  const [event] = namesInBitString(NotificationEvent, metadata.profileManagementOperation) as NotificationEventName[];
  return {
    seqNumber: metadata.seqNumber,
    event: event ?? 'unknown',
    notificationAddress: metadata.notificationAddress,
    ...(metadata.iccid === undefined ? {} : { iccid: metadata.iccid }),
  };
}

export async function listNotifications(context: LpaContext): Promise<NotificationSummary[]> {
  return (await listNotification(context.channel)).map(summarize);
}

function matches(summary: NotificationSummary, filter: NotificationFilter): boolean {
  if (filter.seqNumbers !== undefined && !filter.seqNumbers.includes(summary.seqNumber)) return false;
  if (filter.iccid !== undefined && (summary.iccid === undefined || Buffer.compare(summary.iccid, filter.iccid) !== 0)) return false;
  if (filter.events !== undefined && (summary.event === 'unknown' || !filter.events.includes(summary.event))) return false;
  return true;
}

function pendingBytes(notification: PendingNotification): Uint8Array {
  // The bytes as the eUICC signed them are forwarded unchanged (§5.6.4).
  return 'profileInstallationResult' in notification ? derOf(notification.profileInstallationResult) : derOf(notification.otherSignedNotification);
}

/** Sends the matching notifications in seqNumber order; one failure does not stop the others. */
export async function processNotifications(context: LpaContext, filter: NotificationFilter = {}): Promise<NotificationOutcome[]> {
  const selected = (await listNotifications(context)).filter((summary) => matches(summary, filter));
  selected.sort((a, b) => (a.seqNumber < b.seqNumber ? -1 : a.seqNumber > b.seqNumber ? 1 : 0));
  const outcomes: NotificationOutcome[] = [];
  for (const summary of selected) {
    context.progress?.('handleNotification', `${summary.event} #${summary.seqNumber} → ${summary.notificationAddress}`);
    try {
      const [pending] = await retrieveNotificationsList(context.channel, summary.seqNumber);
      if (pending === undefined) throw new Error(`the eUICC no longer has notification ${summary.seqNumber}`);
      await context.server(summary.notificationAddress).handleNotification(pendingBytes(pending));
      await removeNotificationFromList(context.channel, summary.seqNumber);
      outcomes.push({ ...summary, status: 'removed' });
    } catch (error) {
      outcomes.push({ ...summary, status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

/** Removes notifications from the eUICC without sending them (the user's explicit choice). */
export async function removeNotifications(context: LpaContext, seqNumbers: readonly bigint[]): Promise<void> {
  for (const seqNumber of seqNumbers) await removeNotificationFromList(context.channel, seqNumber);
}
