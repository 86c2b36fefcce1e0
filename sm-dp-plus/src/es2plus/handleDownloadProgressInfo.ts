// ES2+.HandleDownloadProgressInfo (SGP.22 v2.2.2 §5.3.5), SM-DP+ → operator. The core never sends it:
// it writes the request into the durable outbox in the same transaction as the state change it reports,
// and the outbox worker (adapters/http/outboxWorker.ts) delivers it with retries.
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { OrderRecord, ProfileRecord } from '../core/repository.js';
import { es2plusFunctions, renderRequest, type StatusCode } from '@zkesim/protocol';

/**
 * Notification points (§5.3.5). SPEC-AMBIGUITY: the v2 table is not quoted in our sources; we use
 * 1 eligibility and retry-limit check, 2 confirmation failure, 3 BPP download, 4 BPP installation,
 * 5 session cancelled by the eUICC/end user, and for the eUICC's notifications after the installation
 * (§3.5) 6 profile enabled, 7 profile disabled, 8 profile deleted. Those callbacks also carry the signed
 * notification itself in resultData, so an operator can read the operation whatever it numbers them.
 */
export const NotificationPoint = {
  eligibilityCheck: 1,
  confirmationFailure: 2,
  bppDownload: 3,
  bppInstallation: 4,
  sessionCancelled: 5,
  profileEnabled: 6,
  profileDisabled: 7,
  profileDeleted: 8,
} as const;
export type NotificationPointId = (typeof NotificationPoint)[keyof typeof NotificationPoint];

export interface ProgressReport {
  notificationPointId: NotificationPointId;
  /** Executed-Success, or Failed with the status code the SM-DP+ returned to the LPA. */
  failure?: StatusCode & { message?: string };
  /** The eUICC's result (for example the ProfileInstallationResult DER), if any; sent as base64. */
  resultData?: Uint8Array;
}

/**
 * SPEC-AMBIGUITY: the SM-DP+ identifies itself in functionRequesterIdentifier; SGP.22 leaves the value
 * to the parties, we send a fixed name.
 */
const functionRequesterIdentifier = 'zkesim-smdp';

/**
 * The functionCallIdentifier of one callback. Delivery is at least once: the OutboxWorker marks an entry
 * delivered only after the operator's answer, so an SM-DP+ stopped in between sends it again. The operator
 * de-duplicates on this identifier, which is therefore fixed when the callback is queued (it travels in the
 * stored body, identical on every delivery) and names exactly one callback: the download or notification
 * it is about (`source`: the transactionId, or the eUICC's notification) and the notification point.
 */
export function progressCallIdentifier(source: string, notificationPointId: NotificationPointId): string {
  return `${source}.${notificationPointId}`;
}

/**
 * Queues a HandleDownloadProgressInfo for the operator that placed `order`; no-op without a callback URL.
 * `source` names what is reported (the download's transactionId in hex, or a notification); see
 * progressCallIdentifier.
 */
export async function queueDownloadProgressInfo(
  tx: OutboxTransaction,
  order: OrderRecord,
  profile: ProfileRecord,
  report: ProgressReport,
  at: number,
  source: string,
): Promise<void> {
  if (order.callbackUrl === undefined) return;
  const body = renderRequest(es2plusFunctions.handleDownloadProgressInfo, {
    header: { functionRequesterIdentifier, functionCallIdentifier: progressCallIdentifier(source, report.notificationPointId) },
    ...(order.eid === undefined ? {} : { eid: order.eid }),
    iccid: profile.iccid,
    profileType: profile.profileType,
    timestamp: new Date(at).toISOString(),
    notificationPointId: report.notificationPointId,
    notificationPointStatus:
      report.failure === undefined
        ? { status: 'Executed-Success' }
        : {
            status: 'Failed',
            statusCodeData: {
              subjectCode: report.failure.subjectCode,
              reasonCode: report.failure.reasonCode,
              ...(report.failure.message === undefined ? {} : { message: report.failure.message }),
            },
          },
    ...(report.resultData === undefined ? {} : { resultData: report.resultData }),
  });
  await tx.enqueueOutbox({ targetUrl: order.callbackUrl, body: JSON.stringify(body), at });
}
