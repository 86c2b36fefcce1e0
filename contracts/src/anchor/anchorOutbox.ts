// The durable outbox between the download path and the chain. `record()` is one synchronous SQLite insert:
// the SM-DP+ never waits for the chain, and an event survives a node outage or a restart. The AnchorWorker
// later groups pending events into batches (Merkle tree, proofs stored per event) and anchors their roots.
import Database from 'better-sqlite3';
import { preparePrivateFile } from '@zkesim/config';
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { getBytes, hexlify } from 'ethers';
import { UnknownAnchorEvent } from '../errors.js';
import {
  anchorRecordOf,
  anchorEventId,
  recordLeafHash,
  type AnchorEventId,
  type AnchorRecord,
  type InstallResultEvent,
  type Outcome,
} from './anchorRecord.js';
import { OUTBOX_PRAGMAS, OUTBOX_SCHEMA, type BatchRow, type EventRow } from './outboxSchema.js';

export type AnchorState = 'pending' | 'batched' | 'submitted' | 'anchored';

export interface AnchorStatus {
  eventId: AnchorEventId;
  state: AnchorState;
  /** Merkle root of the event's batch, once batched. */
  root?: Uint8Array;
  transactionHash?: Uint8Array;
  batchNumber?: number;
  blockNumber?: number;
}

export interface AnchorProof {
  eventId: AnchorEventId;
  record: AnchorRecord;
  root: Uint8Array;
  /** Sibling hashes from the leaf up, as MerkleProof.verify takes them. */
  proof: Uint8Array[];
  status: AnchorStatus;
}

/** A batch the worker still has to anchor or confirm. */
export interface OpenBatch {
  batchId: number;
  root: Uint8Array;
  leafCount: number;
  state: 'built' | 'submitted';
}

/** One batch as the operator portal lists it (newest first): its root and where it stands on the chain. */
export interface BatchSummary {
  batchId: number;
  root: Uint8Array;
  leafCount: number;
  state: BatchRow['state'];
  transactionHash?: Uint8Array;
  batchNumber?: number;
  blockNumber?: number;
  createdAt: number;
  anchoredAt?: number;
}

/** A batch the outbox holds as anchored, with where the chain had it. */
export interface AnchoredBatch {
  batchId: number;
  root: Uint8Array;
  leafCount: number;
  batchNumber: number;
  blockNumber: number;
}

export interface OutboxBacklog {
  pendingEvents: number;
  unanchoredBatches: number;
  anchoredEvents: number;
}

const BATCH_STATE_TO_EVENT: Record<BatchRow['state'], AnchorState> = { built: 'batched', submitted: 'submitted', anchored: 'anchored' };

function rowRecord(row: EventRow): AnchorRecord {
  return {
    transactionIdHash: new Uint8Array(row.transaction_id_hash),
    subscriber: new Uint8Array(row.subscriber),
    profileTypeHash: new Uint8Array(row.profile_type_hash),
    outcome: row.outcome as Outcome,
    resultHash: new Uint8Array(row.result_hash),
    occurredAt: BigInt(row.occurred_at),
  };
}

/**
 * Proofs of every leaf from the tree's documented dump: nodes in one array, node i's children at 2i+1 and
 * 2i+2, so a proof is the sibling at each level on the way to the root. Taking them from the array costs
 * nothing, whereas the library's getProof re-verifies each proof (about 0.5 ms per leaf here). Tests check
 * these proofs equal getProof's.
 */
function proofsFromDump(dump: { tree: string[]; values: { treeIndex: number }[] }): Buffer[] {
  const nodes = dump.tree.map((node) => getBytes(node));
  return dump.values.map(({ treeIndex }) => {
    const siblings: Uint8Array[] = [];
    for (let index = treeIndex; index > 0; index = Math.floor((index - 1) / 2)) {
      const sibling = nodes[index % 2 === 1 ? index + 1 : index - 1];
      if (sibling !== undefined) siblings.push(sibling);
    }
    return Buffer.concat(siblings);
  });
}

function splitProof(blob: Buffer | null): Uint8Array[] {
  const siblings: Uint8Array[] = [];
  for (let offset = 0; blob !== null && offset < blob.length; offset += 32) siblings.push(new Uint8Array(blob.subarray(offset, offset + 32)));
  return siblings;
}

export class AnchorOutbox {
  private readonly db: Database.Database;
  /** Prepared once: `record()` is on the download path. */
  private readonly insertEvent: Database.Statement;

  /**
   * Opens (creating if needed) the outbox database at `path` (':memory:' for a throw-away one). It names
   * subscribers, so the file is made 0600 (its folder 0700 when missing) before SQLite opens it.
   */
  constructor(path: string, private readonly now: () => number = () => Date.now()) {
    preparePrivateFile(path);
    this.db = new Database(path);
    for (const pragma of OUTBOX_PRAGMAS) this.db.pragma(pragma);
    this.db.exec(OUTBOX_SCHEMA);
    this.insertEvent = this.db.prepare(
      `INSERT INTO anchor_event (event_id, transaction_id_hash, subscriber, profile_type_hash, outcome, result_hash, occurred_at, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING`,
    );
  }

  /**
   * Records one install result; synchronous and durable when it returns. Recording the same result again
   * (same record, hence same id) is a no-op that returns the same id with `duplicate: true`.
   */
  record(event: InstallResultEvent): { eventId: AnchorEventId; duplicate: boolean } {
    const record = anchorRecordOf(event);
    const eventId = recordLeafHash(record);
    const inserted = this.insertEvent.run(
        getBytes(eventId),
        record.transactionIdHash,
        record.subscriber,
        record.profileTypeHash,
        record.outcome,
        record.resultHash,
        Number(record.occurredAt),
        this.now(),
      );
    return { eventId, duplicate: inserted.changes === 0 };
  }

  private eventRow(eventId: AnchorEventId): EventRow {
    const row = this.db.prepare('SELECT * FROM anchor_event WHERE event_id = ?').get(getBytes(anchorEventId(eventId))) as EventRow | undefined;
    if (row === undefined) throw new UnknownAnchorEvent(`no anchor event ${eventId} in the outbox`);
    return row;
  }

  private batchRow(batchId: number): BatchRow {
    return this.db.prepare('SELECT * FROM anchor_batch WHERE batch_id = ?').get(batchId) as BatchRow;
  }

  private statusOf(row: EventRow): AnchorStatus {
    const eventId = anchorEventId(hexlify(row.event_id));
    if (row.batch_id === null) return { eventId, state: 'pending' };
    const batch = this.batchRow(row.batch_id);
    return {
      eventId,
      state: BATCH_STATE_TO_EVENT[batch.state],
      root: new Uint8Array(batch.root),
      ...(batch.tx_hash !== null && { transactionHash: new Uint8Array(batch.tx_hash) }),
      ...(batch.batch_number !== null && { batchNumber: batch.batch_number }),
      ...(batch.block_number !== null && { blockNumber: batch.block_number }),
    };
  }

  /** Where the event stands: pending, batched, submitted, or anchored (confirmed at the configured depth). */
  status(eventId: AnchorEventId): AnchorStatus {
    return this.statusOf(this.eventRow(eventId));
  }

  /** The event's record and Merkle proof, or undefined while it is not yet in a batch. */
  proof(eventId: AnchorEventId): AnchorProof | undefined {
    const row = this.eventRow(eventId);
    const status = this.statusOf(row);
    if (status.root === undefined) return undefined;
    return { eventId: status.eventId, record: rowRecord(row), root: status.root, proof: splitProof(row.proof), status };
  }

  /**
   * The events recorded under any of these subscriber references (the activity log's tags, which only the
   * identity's holder can compute), oldest first: each with its record, and its Merkle proof once batched.
   * The lookup is local: whoever reads the outbox learns nothing from it about whose tags are asked for.
   */
  eventsOfSubscribers(subscribers: readonly Uint8Array[]): { status: AnchorStatus; record: AnchorRecord; proof?: AnchorProof }[] {
    if (subscribers.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM anchor_event WHERE subscriber IN (${subscribers.map(() => '?').join(', ')}) ORDER BY seq`)
      .all(...subscribers) as EventRow[];
    return rows.map((row) => {
      const status = this.statusOf(row);
      const record = rowRecord(row);
      return status.root === undefined ? { status, record } : { status, record, proof: { eventId: status.eventId, record, root: status.root, proof: splitProof(row.proof), status } };
    });
  }

  backlog(): OutboxBacklog {
    return { ...this.waiting(), anchoredEvents: this.count("SELECT count(*) AS n FROM anchor_event e JOIN anchor_batch b USING (batch_id) WHERE b.state = 'anchored'") };
  }

  /** What still waits for the chain, without the count of anchored events (which reads every event): for gauges. */
  waiting(): Omit<OutboxBacklog, 'anchoredEvents'> {
    return {
      pendingEvents: this.count('SELECT count(*) AS n FROM anchor_event WHERE batch_id IS NULL'),
      unanchoredBatches: this.count("SELECT count(*) AS n FROM anchor_batch WHERE state <> 'anchored'"),
    };
  }

  private count(sql: string): number {
    return (this.db.prepare(sql).get() as { n: number }).n;
  }

  /** The newest `limit` batches, newest first. */
  batches(limit: number): BatchSummary[] {
    const rows = this.db.prepare('SELECT * FROM anchor_batch ORDER BY batch_id DESC LIMIT ?').all(limit) as BatchRow[];
    return rows.map((row) => ({
      batchId: row.batch_id,
      root: new Uint8Array(row.root),
      leafCount: row.leaf_count,
      state: row.state,
      ...(row.tx_hash !== null && { transactionHash: new Uint8Array(row.tx_hash) }),
      ...(row.batch_number !== null && { batchNumber: row.batch_number }),
      ...(row.block_number !== null && { blockNumber: row.block_number }),
      createdAt: row.created_at,
      ...(row.anchored_at !== null && { anchoredAt: row.anchored_at }),
    }));
  }

  /** The oldest batch not yet anchored, if any (the worker finishes it before building another). */
  openBatch(): OpenBatch | undefined {
    const row = this.db.prepare("SELECT * FROM anchor_batch WHERE state <> 'anchored' ORDER BY batch_id LIMIT 1").get() as BatchRow | undefined;
    if (row === undefined) return undefined;
    return { batchId: row.batch_id, root: new Uint8Array(row.root), leafCount: row.leaf_count, state: row.state as OpenBatch['state'] };
  }

  /**
   * Puts up to `maxSize` pending events (oldest first) into a new batch with their proofs, in one transaction.
   * IMMEDIATE takes the write lock before reading, so two processes (the server's worker and
   * `chain anchor-now`) never put one event into two batches.
   */
  createBatch(maxSize: number): OpenBatch | undefined {
    const build = this.db.transaction((): OpenBatch | undefined => {
      const rows = this.db.prepare('SELECT * FROM anchor_event WHERE batch_id IS NULL ORDER BY seq LIMIT ?').all(maxSize) as EventRow[];
      if (rows.length === 0) return undefined;
      // The stored event ids are the StandardMerkleTree leaf hashes, so the library's SimpleMerkleTree over
      // them gives the same sorted-pair tree and root as StandardMerkleTree over the records, without
      // re-encoding a thousand records.
      const tree = SimpleMerkleTree.of(rows.map((row) => hexlify(row.event_id)));
      const proofs = proofsFromDump(tree.dump());
      const root = getBytes(tree.root);
      const batchId = Number(
        this.db.prepare("INSERT INTO anchor_batch (root, leaf_count, state, created_at) VALUES (?, ?, 'built', ?)").run(root, rows.length, this.now()).lastInsertRowid,
      );
      const assign = this.db.prepare('UPDATE anchor_event SET batch_id = ?, proof = ? WHERE seq = ?');
      rows.forEach((row, index) => assign.run(batchId, proofs[index], row.seq));
      return { batchId, root, leafCount: rows.length, state: 'built' };
    });
    return build.immediate();
  }

  /** Anchored batches with a batch id below `below`, newest first (the worker re-checks them on the chain). */
  anchoredBatches(limit: number, below = Number.MAX_SAFE_INTEGER): AnchoredBatch[] {
    const rows = this.db
      .prepare("SELECT * FROM anchor_batch WHERE state = 'anchored' AND batch_id < ? ORDER BY batch_id DESC LIMIT ?")
      .all(below, limit) as BatchRow[];
    return rows.map((row) => ({ batchId: row.batch_id, root: new Uint8Array(row.root), leafCount: row.leaf_count, batchNumber: row.batch_number ?? 0, blockNumber: row.block_number ?? 0 }));
  }

  /**
   * Puts an anchored batch back to `built` (same events, same root and proofs), so the worker anchors it
   * again: its root is no longer on the chain (a reorganisation, or a node that lost its latest blocks).
   */
  reopenBatch(batchId: number): void {
    this.db
      .prepare("UPDATE anchor_batch SET state = 'built', tx_hash = NULL, batch_number = NULL, block_number = NULL, anchored_at = NULL WHERE batch_id = ? AND state = 'anchored'")
      .run(batchId);
  }

  markSubmitted(batchId: number, transactionHash: Uint8Array): void {
    this.db.prepare("UPDATE anchor_batch SET state = 'submitted', tx_hash = ? WHERE batch_id = ? AND state <> 'anchored'").run(transactionHash, batchId);
  }

  markAnchored(batchId: number, batchNumber: number, blockNumber: number): void {
    this.db
      .prepare("UPDATE anchor_batch SET state = 'anchored', batch_number = ?, block_number = ?, anchored_at = ? WHERE batch_id = ?")
      .run(batchNumber, blockNumber, this.now(), batchId);
  }

  close(): void {
    this.db.close();
  }
}
