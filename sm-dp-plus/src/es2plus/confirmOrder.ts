// ES2+.ConfirmOrder (SGP.22 v2.2.2 §5.3.2): the operator fixes the EID (if not yet known), the
// MatchingID (generated here when absent), the confirmation code and the SM-DS address, and says whether
// the profile is released for download right away.
import { createHash } from 'node:crypto';
import { Codes, InvalidIdentifier, RspError, eidDigits, serverAddress, type EidDigits } from '@zkesim/protocol';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { matchingId as toMatchingId, redactEid, type MatchingId } from '../core/identifiers.js';
import type { OrderTransaction, SmdpRepository, SmdpTransaction } from '../core/repository.js';
import { fieldError } from './fieldError.js';
import type { OperatorIdentity } from './operator.js';
import { openOrderFor, transitionOrFail } from './orderLookup.js';
import { queueDeleteEvent, registerEvent } from '../es12/smdsEvents.js';

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
  // The SM-DP+ connects to https://<smdsAddress>/…: only a host name or IP literal with an optional port.
  const smdsAddress = input.smdsAddress === undefined ? undefined : validSmdsAddress(input.smdsAddress);
  const now = deps.clock.now();
  const confirm = async (tx: SmdpTransaction, chosenMatchingId: MatchingId | undefined) => {
    const { profile, order } = await openOrderFor(tx, operator, input.iccid);
    if (givenEid !== undefined && order.eid !== undefined && order.eid !== givenEid) {
      throw new RspError(Codes.eidInvalidAssociation, 'the order is for another EID', { subjectIdentifier: 'eid' });
    }
    const eid = order.eid ?? givenEid;
    // The default SM-DP+ case and SM-DS registration both need the EID (8.1.1 / 2.2).
    if (eid === undefined && (defaultSmdpCase || smdsAddress !== undefined)) {
      throw new RspError(Codes.eidMissing, undefined, { subjectIdentifier: 'eid' });
    }
    const given = chosenMatchingId ?? givenMatchingId;
    const matchingId = defaultSmdpCase ? undefined : (given ?? (await freshMatchingId(tx, deps)));
    if (given !== undefined && (await tx.isMatchingIdTaken(given))) {
      throw new RspError(Codes.matchingIdConflicting, undefined, { subjectIdentifier: 'matchingId' });
    }
    await transitionOrFail(tx, profile, releaseFlag ? 'confirmOrderAndRelease' : 'confirmOrder', now, Codes.iccidNotAvailable);
    await tx.updateOrder(order.orderId, {
      ...(eid === undefined ? {} : { eid }),
      ...(matchingId === undefined ? {} : { matchingId }),
      ...(input.confirmationCode === undefined ? {} : { confirmationCodeHash: confirmationCodeDigest(input.confirmationCode) }),
      ...(smdsAddress === undefined ? {} : { smdsAddress }),
      releaseFlag,
    });
    return { eid, matchingId, iccid: profile.iccid, event: { orderId: order.orderId, smdsAddress, eid, matchingId } };
  };
  let result: Awaited<ReturnType<typeof confirm>>;
  if (smdsAddress === undefined) {
    result = await deps.repository.transaction((tx) => confirm(tx, undefined));
  } else {
    // §3.6.1: the event is registered before ConfirmOrder answers, and never while a storage transaction
    // is open (the SM-DS may take up to the request bound). So the confirmation is first run and rolled
    // back, which checks everything and fixes the EID and MatchingID; then the event is registered; then
    // the confirmation runs for real with that MatchingID. Should it fail now (the order changed in
    // between), the event is withdrawn through the outbox.
    const planned = await rolledBack(deps.repository, (tx) => confirm(tx, undefined));
    await registerEvent(deps.smds, planned.event, policy.smdpAddress);
    try {
      result = await deps.repository.transaction((tx) => confirm(tx, planned.matchingId));
    } catch (error) {
      await deps.repository.transaction((tx) => queueDeleteEvent(tx, planned.event, now));
      throw error;
    }
  }
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

/** Thrown to roll a transaction back while keeping what it computed. */
class RollBack<T> {
  constructor(readonly value: T) {}
}

/** What `work` returns, with everything it wrote rolled back. */
async function rolledBack<T>(repository: SmdpRepository, work: (tx: SmdpTransaction) => Promise<T>): Promise<T> {
  try {
    await repository.transaction(async (tx) => {
      throw new RollBack(await work(tx));
    });
  } catch (thrown) {
    if (thrown instanceof RollBack) return thrown.value as T;
    throw thrown;
  }
  throw new Error('unreachable: the transaction always throws');
}

/** An SM-DS address a request may be sent to; 8.9.1 / 3.8 otherwise (§5.3.2). */
function validSmdsAddress(text: string): string {
  try {
    return serverAddress(text, 'smdsAddress');
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new RspError(Codes.smdsAddressInvalid, error.detail, { subjectIdentifier: 'smdsAddress', cause: error });
    throw error;
  }
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

/**
 * What the SM-DP+ keeps of a confirmation code: SHA-256(CC), the first step of hashCc = SHA-256(SHA-256(CC) ‖
 * transactionId) (SGP.22 v2.2.2 §2.6, §5.6.2); never the code itself.
 */
export function confirmationCodeDigest(confirmationCode: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(confirmationCode, 'utf8').digest());
}
