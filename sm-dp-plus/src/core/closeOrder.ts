// Closing a download order, the one way every path does it (installed, installation failed, cancelled by the
// operator or the eUICC, expired, refused, confirmation code retries exhausted): the order is marked closed,
// and the SM-DS event registered for it (when there is one) is deleted (SGP.22 v2.2.2 §3.6.3) through the outbox, in the
// same transaction, so no closed order leaves an event that sends LPAs to a download that cannot happen.
import type { OutboxTransaction } from '@zkesim/rsp-server';
import { queueDeleteEvent, type EventOrder } from '../es12/smdsEvents.js';
import type { OrderTransaction } from './repository.js';

export async function closeOrder(tx: OrderTransaction & OutboxTransaction, order: EventOrder, now: number, reason: string): Promise<void> {
  await tx.updateOrder(order.orderId, { closedAt: now, closeReason: reason });
  await queueDeleteEvent(tx, order, now);
}
