// The SM-DS's storage of event records (SGP.22 v2.2.2 §3.6: EID, EventID, RSP Server address), behind the
// same contract as the SM-DP+'s repository (ARCHITECTURE.md, "Storage contract"): atomic transactions,
// reads of committed data, and uniqueness enforced by the store when written.
import type { EidDigits } from '@zkesim/protocol';

/** Who registered an event: the SM-DP+ or SM-DS its TLS client certificate identified (ES12, ES15). */
export interface Registrant {
  role: 'smdp' | 'smds';
  /** The subject of its TLS client certificate; only this registrant may delete its events. */
  name: string;
}

export interface EventRecord {
  eid: EidDigits;
  eventId: string;
  /** The SM-DP+ (or, for a pointer event on the Root SM-DS, the Alternative SM-DS) the LPA goes to. */
  rspServerAddress: string;
  registrant: Registrant;
  createdAt: number;
  expiresAt: number;
  /**
   * On an Alternative SM-DS: the EventID of the pointer event it registered on the Root SM-DS for this
   * event (§3.6.1), deleted there with it.
   */
  forwardedEventId?: string;
}

export type InsertOutcome = 'inserted' | 'identical' | 'conflict';

export interface EventTransaction {
  /**
   * Stores an event unless this registrant already has one with this EID and EventID: the same record again
   * is 'identical' (a retried registration), a different one 'conflict'. Uniqueness is the store's.
   */
  insertEvent(record: EventRecord): Promise<InsertOutcome>;
  getEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<EventRecord | undefined>;
  /** Deletes this registrant's event; false when there is none. */
  deleteEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<boolean>;
  setForwardedEventId(eid: EidDigits, eventId: string, registrant: Registrant, forwardedEventId: string): Promise<void>;
  /** The EID's events that have not expired at `now`, oldest first. */
  listEvents(eid: EidDigits, now: number): Promise<EventRecord[]>;
  /** Deletes every event expired at `now`; returns them (an Alternative SM-DS deletes their pointers). */
  deleteExpired(now: number): Promise<EventRecord[]>;
  countEvents(): Promise<number>;
}

export interface EventStore {
  transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T>;
  health(): Promise<{ engine: string; schemaVersion: number }>;
  close(): Promise<void>;
}
