// The durable outbox of an RSP server: requests to a peer (an operator's ES2+ HandleDownloadProgressInfo,
// an SM-DS's ES12 RegisterEvent) written in the same transaction as the state change that causes them, and
// delivered later by the OutboxWorker, so a crash or a peer outage loses none of them.

/**
 * Where an entry stands: pending (to be sent, again after a failure), delivered (the peer answered), or
 * dead (the peer refused it, or the attempts ran out): kept and listed, sent again only when requeued.
 */
export type OutboxState = 'pending' | 'delivered' | 'dead';

/** One request in the outbox. */
export interface OutboxEntry {
  id: number;
  targetUrl: string;
  /** The request body, ready to send (JSON text built by the interface layer). */
  body: string;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  deliveredAt?: number;
  deadAt?: number;
  lastError?: string;
}

/** The state of an entry, from its timestamps. */
export function outboxState(entry: Pick<OutboxEntry, 'deliveredAt' | 'deadAt'>): OutboxState {
  return entry.deliveredAt !== undefined ? 'delivered' : entry.deadAt !== undefined ? 'dead' : 'pending';
}

/** The outbox operations of one storage transaction. */
export interface OutboxTransaction {
  enqueueOutbox(entry: { targetUrl: string; body: string; at: number }): Promise<number>;
  /** Due pending entries, at most one per target URL: the oldest pending one (per-target FIFO; dead ones do not block). */
  dueOutbox(now: number, limit: number): Promise<OutboxEntry[]>;
  markOutboxDelivered(id: number, at: number): Promise<void>;
  /**
   * Counts a failed attempt: increments the entry's attempts in the store's own write (`attempts = attempts + 1
   * … RETURNING attempts`, never a value read earlier), records `lastError`, and makes the entry due again at
   * `nextAttemptAt(attempts)`, all in this transaction. Returns the new count, or undefined when the entry is
   * gone (a test instance's reset removed it meanwhile).
   */
  rescheduleOutbox(id: number, lastError: string, nextAttemptAt: (attempts: number) => number): Promise<number | undefined>;
  /** Moves a pending entry to dead with the reason; it is no longer sent. */
  markOutboxDead(id: number, at: number, lastError: string): Promise<void>;
  /** Makes a dead entry pending again, due at `at`, with its attempts back at 0; false if it is not dead. */
  requeueOutbox(id: number, at: number): Promise<boolean>;
  /** Entries, newest first, optionally of one state. */
  listOutbox(options: { state?: OutboxState; limit: number }): Promise<OutboxEntry[]>;
  pendingOutboxCount(): Promise<number>;
  /** Entries given up on (dead, not requeued): what an operator has to look at. */
  deadOutboxCount(): Promise<number>;
}

/** Storage that runs outbox operations atomically (a server's repository). */
export interface OutboxStore {
  transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
}
