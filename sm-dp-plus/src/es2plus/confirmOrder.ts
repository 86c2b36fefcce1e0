// ES2+.ConfirmOrder (SGP.22 v2.2.2 §5.3.2): the operator fixes the EID (if not yet known), the
// MatchingID (generated here when absent), the confirmation code and the SM-DS address, and says whether
// the profile is released for download right away.
import { createHash } from 'node:crypto';
import { Codes, RspError, eidDigits, type EidDigits } from '@zkesim/protocol';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { matchingId as toMatchingId, redactEid, type MatchingId } from '../core/identifiers.js';
import type { OrderTransaction } from '../core/repository.js';
import { fieldError } from './fieldError.js';
import type { OperatorIdentity } from './operator.js';
import { openOrderFor, transitionOrFail } from './orderLookup.js';
import { queueRegisterEvent } from '../es12/smdsEvents.js';

export interface ConfirmOrderInput {
  iccid?: string;
  eid?: string;
  matchingId?: string;
  confirmationCode?: string;
  smdsAddress?: string;
  releaseFlag?: boolean;
}

export interface ConfirmOrderOutput {
  eid?: EidDigits;
  matchingId: string;
  smdpAddress: string;
}

export async function confirmOrder(
  deps: CoreDeps,
  policy: OrderPolicy,
  operator: OperatorIdentity,
  input: ConfirmOrderInput,
): Promise<ConfirmOrderOutput> {
  if (input.releaseFlag === undefined) {
    throw new RspError(Codes.mandatoryParameterMissing, 'releaseFlag is required', { subjectIdentifier: 'releaseFlag' });
  }
  const releaseFlag = input.releaseFlag;
  const givenEid = input.eid === undefined ? undefined : fieldError(() => eidDigits(input.eid as string));
  // §5.3.2: an empty matchingId selects the default SM-DP+ use case (the eUICC comes without an AC_Token).
  const defaultSmdpCase = input.matchingId === '';
  const givenMatchingId =
    input.matchingId === undefined || defaultSmdpCase ? undefined : fieldError(() => toMatchingId(input.matchingId as string));
  if (input.confirmationCode !== undefined && input.confirmationCode.length === 0) {
    throw new RspError(Codes.invalidRequestField, 'confirmationCode: must not be empty', { subjectIdentifier: 'confirmationCode' });
  }
  const now = deps.clock.now();
  const result = await deps.repository.transaction(async (tx) => {
    const { profile, order } = await openOrderFor(tx, operator, input.iccid);
    if (givenEid !== undefined && order.eid !== undefined && order.eid !== givenEid) {
      throw new RspError(Codes.eidInvalidAssociation, 'the order is for another EID', { subjectIdentifier: 'eid' });
    }
    const eid = order.eid ?? givenEid;
    // The default SM-DP+ case and SM-DS registration both need the EID (8.1.1 / 2.2).
    if (eid === undefined && (defaultSmdpCase || input.smdsAddress !== undefined)) {
      throw new RspError(Codes.eidMissing, undefined, { subjectIdentifier: 'eid' });
    }
    const matchingId = defaultSmdpCase ? undefined : (givenMatchingId ?? (await freshMatchingId(tx, deps)));
    if (givenMatchingId !== undefined && (await tx.isMatchingIdTaken(givenMatchingId))) {
      throw new RspError(Codes.matchingIdConflicting, undefined, { subjectIdentifier: 'matchingId' });
    }
    await transitionOrFail(tx, profile, releaseFlag ? 'confirmOrderAndRelease' : 'confirmOrder', now, Codes.iccidNotAvailable);
    await tx.updateOrder(order.orderId, {
      ...(eid === undefined ? {} : { eid }),
      ...(matchingId === undefined ? {} : { matchingId }),
      ...(input.confirmationCode === undefined ? {} : { confirmationCodeHash: sha256(input.confirmationCode) }),
      ...(input.smdsAddress === undefined ? {} : { smdsAddress: input.smdsAddress }),
      releaseFlag,
    });
    const updated = await tx.getOrder(order.orderId);
    if (updated !== undefined) await queueRegisterEvent(tx, updated, policy.smdpAddress, now);
    return { eid, matchingId, iccid: profile.iccid };
  });
  deps.logger.info(
    { function: 'confirmOrder', iccid: result.iccid, eid: result.eid === undefined ? undefined : redactEid(result.eid), releaseFlag },
    'order confirmed',
  );
  return {
    ...(result.eid === undefined ? {} : { eid: result.eid }),
    matchingId: result.matchingId ?? '',
    smdpAddress: policy.smdpAddress,
  };
}

/** SGP.22 §4.1 AC_Token: we generate 4 groups of 5 characters from an unambiguous alphabet, never reused. */
async function freshMatchingId(tx: OrderTransaction, deps: CoreDeps): Promise<MatchingId> {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const bytes = deps.random.bytes(20);
    const characters = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
    const candidate = toMatchingId(characters.match(/.{5}/g)?.join('-') ?? characters);
    if (!(await tx.isMatchingIdTaken(candidate))) return candidate;
  }
  throw new RspError(Codes.functionExecutionError, 'could not generate a unique MatchingID');
}

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}
