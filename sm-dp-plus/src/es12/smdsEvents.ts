// ES12 towards the SM-DS (SGP.22 v2.2.2 §3.6.1 event registration, §3.6.3 deletion; §5.9): when the
// operator gave an SM-DS address in ConfirmOrder, the SM-DP+ registers an event (EventID = MatchingID)
// for the EID, and deletes it once the profile is installed or the order is cancelled. Like the operator
// callbacks, the requests go through the durable outbox, never from the request path.
import { es12Functions, renderRequest } from '@zkesim/protocol';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { OrderRecord } from '../core/repository.js';

/** SPEC-AMBIGUITY: as for the operator callbacks, the SM-DP+ names itself with a fixed requester id. */
const functionRequesterIdentifier = 'zkesim-smdp';

function es12Url(smdsAddress: string, path: string): string {
  return `https://${smdsAddress}${path}`;
}

export async function queueRegisterEvent(tx: OutboxTransaction, order: OrderRecord, smdpAddress: string, at: number): Promise<void> {
  if (order.smdsAddress === undefined || order.eid === undefined || order.matchingId === undefined) return;
  const body = renderRequest(es12Functions.registerEvent, {
    header: { functionRequesterIdentifier, functionCallIdentifier: `register-${order.orderId}` },
    eid: order.eid,
    rspServerAddress: smdpAddress,
    eventId: order.matchingId,
    // §3.6.1: an Alternative SM-DS cascades the event to the Root SM-DS.
    forwardingIndicator: true,
  });
  await tx.enqueueOutbox({ targetUrl: es12Url(order.smdsAddress, es12Functions.registerEvent.path), body: JSON.stringify(body), at });
}

export async function queueDeleteEvent(tx: OutboxTransaction, order: OrderRecord, at: number): Promise<void> {
  if (order.smdsAddress === undefined || order.eid === undefined || order.matchingId === undefined) return;
  const body = renderRequest(es12Functions.deleteEvent, {
    header: { functionRequesterIdentifier, functionCallIdentifier: `delete-${order.orderId}` },
    eid: order.eid,
    eventId: order.matchingId,
  });
  await tx.enqueueOutbox({ targetUrl: es12Url(order.smdsAddress, es12Functions.deleteEvent.path), body: JSON.stringify(body), at });
}
