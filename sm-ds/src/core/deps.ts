// What the SM-DS's functions run with: injected clock, randomness, logger and event store (sans-I/O core),
// and the policy the configuration sets.
import type { Clock, EidDigits, Logger, RandomSource } from '@zkesim/protocol';
import type { EventStore } from './eventStore.js';

export interface SmdsDeps {
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  store: EventStore;
}

/** The Root SM-DS as an Alternative SM-DS reaches it (ES15, §3.6.1); failures are RspErrors 8.9 / 5.1 or 4.2. */
export interface RootSmds {
  registerEvent(event: { eid: EidDigits; eventId: string; rspServerAddress: string }): Promise<void>;
  deleteEvent(event: { eid: EidDigits; eventId: string }): Promise<void>;
}

export interface EventPolicy {
  /** This SM-DS's address: the rspServerAddress of the pointer events it registers on the Root SM-DS. */
  address: string;
  eventLifetimeMs: number;
  /** Set on an Alternative SM-DS. */
  root?: RootSmds;
}
