// ES12.RegisterEvent and ES12.DeleteEvent (SGP.22 v2.2.2 §5.9.1, §5.9.2; procedures §3.6.1, §3.6.3), and
// the same functions between SM-DSs (ES15), which an Alternative SM-DS uses to register and delete the pointer
// event on the Root SM-DS. The caller is the SM-DP+ or SM-DS its TLS client certificate identified. EIDs are
// logged as they are: rsp-server's logger cuts every `eid` to its issuer prefix.
import { Codes, InvalidIdentifier, RspError, eidDigits, isServerAddress, matchingId, toHex, type EidDigits } from '@zkesim/protocol';
import type { EventPolicy, SmdsDeps } from '../core/deps.js';
import type { EventRecord, Registrant } from '../core/eventStore.js';

export interface RegisterEventInput {
  eid: string;
  eventId: string;
  rspServerAddress: string;
  forwardingIndicator?: boolean;
}

export interface DeleteEventInput {
  eid: string;
  eventId: string;
}

/** EventID (§4.1): the MatchingID of the SM-DS use case, by protocol's one MatchingID rule. */
function eventIdOf(value: string): string {
  try {
    return matchingId(value, 'eventId');
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new RspError(Codes.invalidRequestField, error.message, { subjectIdentifier: 'eventId' });
    throw error;
  }
}

/** A host name or IP literal with an optional :port (protocol's serverAddress, the form LPAs connect to). */
function addressOf(value: string): string {
  if (!isServerAddress(value)) {
    throw new RspError(Codes.invalidRequestField, 'rspServerAddress: must be a host name or IP literal, optionally with :port', { subjectIdentifier: 'rspServerAddress' });
  }
  return value;
}

function eidOf(value: string): EidDigits {
  try {
    return eidDigits(value);
  } catch (error) {
    throw new RspError(Codes.invalidRequestField, `eid: ${error instanceof Error ? error.message : String(error)}`, { subjectIdentifier: 'eid', cause: error });
  }
}

export async function registerEvent(deps: SmdsDeps, policy: EventPolicy, registrant: Registrant, input: RegisterEventInput): Promise<void> {
  const now = deps.clock.now();
  const record: EventRecord = {
    eid: eidOf(input.eid),
    eventId: eventIdOf(input.eventId),
    rspServerAddress: addressOf(input.rspServerAddress),
    registrant,
    createdAt: now,
    expiresAt: now + policy.eventLifetimeMs,
  };
  const outcome = await deps.store.transaction((tx) => tx.insertEvent(record));
  // §5.9.1: an EventID this SM-DP+ already registered for this EID with another address (8.9.5 / 3.3). The
  // same record again is a retried registration (the SM-DP+'s outbox after a lost answer) and succeeds.
  if (outcome === 'conflict') throw new RspError(Codes.eventAlreadyExists, undefined, { subjectIdentifier: 'eventId' });
  const log = { function: 'registerEvent', eid: record.eid, eventId: record.eventId, registrant: registrant.name };
  if (outcome === 'identical') {
    deps.logger.info(log, 'event already registered');
    return;
  }
  // §3.6.1: an Alternative SM-DS asked to forward registers a pointer to itself on the Root SM-DS under a
  // new EventID. Only events from SM-DP+s cascade (the Root never forwards, and a pointer is not forwarded again).
  if (input.forwardingIndicator === true && policy.root !== undefined && registrant.role === 'smdp') {
    const forwardedEventId = toHex(deps.random.bytes(16));
    try {
      await policy.root.registerEvent({ eid: record.eid, eventId: forwardedEventId, rspServerAddress: policy.address });
    } catch (error) {
      // Without the pointer no LPA finds the event through the Root: refuse it (8.9 / 5.1 or 4.2) and keep nothing.
      await deps.store.transaction((tx) => tx.deleteEvent(record.eid, record.eventId, registrant));
      deps.logger.warn({ ...log, error: String(error) }, 'Root SM-DS refused or unreachable, event not registered');
      throw error;
    }
    await deps.store.transaction((tx) => tx.setForwardedEventId(record.eid, record.eventId, registrant, forwardedEventId));
    deps.logger.info({ ...log, forwardedEventId }, 'event registered and forwarded to the Root SM-DS');
    return;
  }
  deps.logger.info(log, 'event registered');
}

/** §5.9.2: only the registrant's own event; any other (another SM-DP+'s, or none) is unknown (8.9.5 / 3.9). */
export async function deleteEvent(deps: SmdsDeps, policy: EventPolicy, registrant: Registrant, input: DeleteEventInput): Promise<void> {
  const eid = eidOf(input.eid);
  const eventId = eventIdOf(input.eventId);
  const deleted = await deps.store.transaction(async (tx) => {
    const event = await tx.getEvent(eid, eventId, registrant);
    if (event === undefined || !(await tx.deleteEvent(eid, eventId, registrant))) return undefined;
    return event;
  });
  if (deleted === undefined) throw new RspError(Codes.eventUnknown, undefined, { subjectIdentifier: 'eventId' });
  deps.logger.info({ function: 'deleteEvent', eid: eid, eventId, registrant: registrant.name }, 'event deleted');
  await deletePointer(deps, policy, deleted);
}

/**
 * Deletes the pointer event an Alternative SM-DS registered on the Root SM-DS for `event`. Best effort: a
 * pointer left behind leads an LPA here to find nothing, and it expires on the Root.
 */
async function deletePointer(deps: SmdsDeps, policy: EventPolicy, event: EventRecord): Promise<void> {
  if (event.forwardedEventId === undefined || policy.root === undefined) return;
  try {
    await policy.root.deleteEvent({ eid: event.eid, eventId: event.forwardedEventId });
  } catch (error) {
    deps.logger.warn({ function: 'deleteEvent', eid: event.eid, forwardedEventId: event.forwardedEventId, error: String(error) }, 'pointer event not deleted on the Root SM-DS');
  }
}

/** Deletes the events expired at now (and their pointers on the Root); returns how many. */
export async function expireEvents(deps: SmdsDeps, policy: EventPolicy): Promise<number> {
  const expired = await deps.store.transaction((tx) => tx.deleteExpired(deps.clock.now()));
  for (const event of expired) await deletePointer(deps, policy, event);
  if (expired.length > 0) deps.logger.info({ function: 'expireEvents', count: expired.length }, 'expired events deleted');
  return expired.length;
}
