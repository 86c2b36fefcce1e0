// ES2+.CancelOrder (SGP.22 v2.2.2 §5.3.3): the operator withdraws a pending order; the profile goes back
// to the pool (Available) or out of it (Unavailable), as finalProfileStatusIndicator says.
import { Codes, RspError, eidDigits } from '@zkesim/protocol';
import type { CoreDeps } from '../core/deps.js';
import { fieldError } from './fieldError.js';
import type { OperatorIdentity } from './operator.js';
import { openOrderFor, transitionOrFail } from './orderLookup.js';
import { queueDeleteEvent } from '../es12/smdsEvents.js';

export interface CancelOrderInput {
  iccid?: string;
  eid?: string;
  matchingId?: string;
  finalProfileStatusIndicator?: string;
}

export async function cancelOrder(deps: CoreDeps, operator: OperatorIdentity, input: CancelOrderInput): Promise<void> {
  const indicator = input.finalProfileStatusIndicator;
  if (indicator !== 'Available' && indicator !== 'Unavailable') {
    const code = indicator === undefined ? Codes.mandatoryParameterMissing : Codes.invalidRequestField;
    throw new RspError(code, 'finalProfileStatusIndicator must be "Available" or "Unavailable"', {
      subjectIdentifier: 'finalProfileStatusIndicator',
    });
  }
  const eid = input.eid === undefined ? undefined : fieldError(() => eidDigits(input.eid as string));
  const now = deps.clock.now();
  const iccid = await deps.repository.transaction(async (tx) => {
    const { profile, order } = await openOrderFor(tx, operator, input.iccid);
    // §5.3.3: an EID or MatchingID that is not the order's is an invalid association (3.10).
    if (eid !== undefined && order.eid !== eid) throw new RspError(Codes.eidInvalidAssociation, 'the order is for another EID', { subjectIdentifier: 'eid' });
    if (input.matchingId !== undefined && order.matchingId !== input.matchingId) {
      throw new RspError(Codes.matchingIdInvalidAssociation, 'the order has another MatchingID', { subjectIdentifier: 'matchingId' });
    }
    await transitionOrFail(tx, profile, indicator === 'Available' ? 'cancelOrderToAvailable' : 'cancelOrderToUnavailable', now);
    await tx.updateOrder(order.orderId, { closedAt: now, closeReason: `cancelled by operator (${indicator})` });
    await queueDeleteEvent(tx, order, now);
    return profile.iccid;
  });
  deps.logger.info({ function: 'cancelOrder', iccid, finalProfileStatusIndicator: indicator }, 'order cancelled');
}
