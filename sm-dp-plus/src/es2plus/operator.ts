// The operator a request comes from, as established by the ES2+ adapter from the mutual-TLS client
// certificate (SGP.22 §2.6.6: ES2+ is mutually authenticated), and the ownership rule for orders.
import { Codes, RspError } from '@zkesim/protocol';
import type { OrderRecord } from '../core/repository.js';

export interface OperatorIdentity {
  /** The configured operator id; also what `functionRequesterIdentifier` must carry. */
  operatorId: string;
  /** Where this operator receives ES2+.HandleDownloadProgressInfo. */
  callbackUrl?: string;
}

/** SGP.22 §5.3: an operator may only act on the orders it placed (8.2.1 / 1.2). */
export function assertOwnsOrder(operator: OperatorIdentity, order: OrderRecord): void {
  if (order.operatorId !== operator.operatorId) {
    throw new RspError(Codes.iccidNotAllowed, 'the profile was ordered by another operator', { subjectIdentifier: 'iccid' });
  }
}
