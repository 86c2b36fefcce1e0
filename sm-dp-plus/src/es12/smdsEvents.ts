// ES12 towards the SM-DS (SGP.22 v2.2.2 §3.6.1 event registration, §3.6.3 deletion; §5.9): when the
// operator gives an SM-DS address in ConfirmOrder, the SM-DP+ registers an event (EventID = MatchingID) for
// the EID before it answers, so the operator learns there and then whether the SM-DS has it (8.9 / 5.1
// when it cannot be reached). The event is deleted once the profile is installed or the order cancelled;
// like the operator callbacks, those requests go through the durable outbox.
import { Codes, RspError, es12Functions, renderRequest } from '@zkesim/protocol';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { SmdsRequester } from '../core/deps.js';
import type { OrderRecord } from '../core/repository.js';

/** SPEC-AMBIGUITY: as for the operator callbacks, the SM-DP+ names itself with a fixed requester id. */
const functionRequesterIdentifier = 'zkesim-smdp';

/** The order fields an event is made of. */
export type EventOrder = Pick<OrderRecord, 'orderId' | 'smdsAddress' | 'eid' | 'matchingId'>;

/** `smdsAddress` was validated as a host name with an optional port (protocol's serverAddress) when the order took it. */
function es12Url(smdsAddress: string, path: string): string {
  return `https://${smdsAddress}${path}`;
}

/**
 * ES12.RegisterEvent for `order`, waiting for the SM-DS's answer; no-op when the order names no SM-DS or
 * has no EventID. Throws 8.9 / 5.1 when the SM-DS is not reached within the bound, 8.9 / 4.2 when it
 * refuses the event (its own status in the message).
 */
export async function registerEvent(smds: SmdsRequester | undefined, order: EventOrder, smdpAddress: string): Promise<void> {
  if (order.smdsAddress === undefined || order.eid === undefined || order.matchingId === undefined) return;
  const fail = (code: typeof Codes.rootSmdsUnavailable | typeof Codes.rootSmdsExecutionError, message: string): never => {
    throw new RspError(code, message, { subjectIdentifier: 'smdsAddress' });
  };
  if (smds === undefined) return fail(Codes.rootSmdsUnavailable, 'this SM-DP+ has no ES12 client');
  const body = renderRequest(es12Functions.registerEvent, {
    header: { functionRequesterIdentifier, functionCallIdentifier: `register-${order.orderId}-${order.matchingId}` },
    eid: order.eid,
    rspServerAddress: smdpAddress,
    eventId: order.matchingId,
    // §3.6.1: an Alternative SM-DS cascades the event to the Root SM-DS.
    forwardingIndicator: true,
  });
  const answer = await smds(es12Url(order.smdsAddress, es12Functions.registerEvent.path), JSON.stringify(body));
  if (answer.outcome === 'unreachable') return fail(Codes.rootSmdsUnavailable, `SM-DS not reached: ${answer.detail}`);
  if (answer.outcome === 'refused') {
    const status = answer.statusCodeData;
    return fail(Codes.rootSmdsExecutionError, `SM-DS refused RegisterEvent${status === undefined ? '' : ` (${status.subjectCode} / ${status.reasonCode})`}`);
  }
}

export async function queueDeleteEvent(tx: OutboxTransaction, order: EventOrder, at: number): Promise<void> {
  if (order.smdsAddress === undefined || order.eid === undefined || order.matchingId === undefined) return;
  const body = renderRequest(es12Functions.deleteEvent, {
    header: { functionRequesterIdentifier, functionCallIdentifier: `delete-${order.orderId}-${order.matchingId}` },
    eid: order.eid,
    eventId: order.matchingId,
  });
  await tx.enqueueOutbox({ targetUrl: es12Url(order.smdsAddress, es12Functions.deleteEvent.path), body: JSON.stringify(body), at });
}
