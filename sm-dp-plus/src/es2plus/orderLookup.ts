// Shared lookups of the ES2+ functions that act on an existing order (§5.3.2 – §5.3.4).
import { Codes, RspError, iccidDigits, type StatusCode } from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { IllegalTransition, type ProfileEvent } from '../core/profileLifecycle.js';
import type { OrderRecord, OrderTransaction, ProfileRecord } from '../core/repository.js';
import { fieldError } from './fieldError.js';
import { assertOwnsOrder, type OperatorIdentity } from './operator.js';

export interface OpenOrder {
  profile: ProfileRecord;
  order: OrderRecord;
}

/** The profile named by `iccid` and its open order, owned by `operator`; 8.2.1 codes otherwise. */
export async function openOrderFor(tx: OrderTransaction, operator: OperatorIdentity, iccid: string | undefined): Promise<OpenOrder> {
  if (iccid === undefined) throw new RspError(Codes.mandatoryParameterMissing, 'iccid is required', { subjectIdentifier: 'iccid' });
  const digits = fieldError(() => iccidDigits(iccid));
  const profile = await tx.getProfile(digits);
  if (profile === undefined) throw new RspError(Codes.iccidUnknown, undefined, { subjectIdentifier: 'iccid' });
  const order = await tx.getOpenOrderByIccid(digits);
  if (order === undefined) {
    throw new RspError(Codes.iccidCannotBeReleased, `profile is ${profile.state} and has no open order`, { subjectIdentifier: 'iccid' });
  }
  assertOwnsOrder(operator, order);
  return { profile, order };
}

/** Applies `event`, reporting a transition the table forbids with `code` (an ES2+ status, never a crash). */
export async function transitionOrFail(
  tx: OrderTransaction,
  profile: ProfileRecord,
  event: ProfileEvent,
  at: number,
  code: StatusCode = Codes.iccidCannotBeReleased,
): Promise<void> {
  try {
    await applyProfileEvent(tx, profile.iccid, event, at);
  } catch (error) {
    if (error instanceof IllegalTransition) {
      throw new RspError(code, error.message, { subjectIdentifier: 'iccid', cause: error });
    }
    throw error;
  }
}
