// The JSON form of anchor proofs and batches in the operator API, both ways: bytes as 0x-hex, the record's
// uint64 time as a decimal string. The operator side turns a proof back into contracts' AnchorProof and checks
// it itself against the root on the chain (verifyAnchorProof), so it need not trust this answer.
import { anchorEventId, type AnchorProof, type AnchorState, type BatchSummary, type Outcome } from '@zkesim/contracts';

export interface AnchorProofJson {
  eventId: string;
  record: { transactionIdHash: string; subscriber: string; profileTypeHash: string; outcome: number; resultHash: string; occurredAt: string };
  root: string;
  proof: string[];
  state: AnchorState;
}

export interface BatchJson {
  batchId: number;
  root: string;
  leafCount: number;
  state: BatchSummary['state'];
  transactionHash?: string;
  batchNumber?: number;
  blockNumber?: number;
  createdAt: number;
  anchoredAt?: number;
}

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

function bytes32(field: string, text: unknown): Uint8Array {
  if (typeof text !== 'string' || !/^0x[0-9a-f]{64}$/.test(text)) throw new Error(`${field}: expected 0x and 64 lowercase hex digits`);
  return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
}

export function anchorProofJson(proof: AnchorProof): AnchorProofJson {
  const r = proof.record;
  return {
    eventId: proof.eventId,
    record: {
      transactionIdHash: hex(r.transactionIdHash), subscriber: hex(r.subscriber), profileTypeHash: hex(r.profileTypeHash), outcome: r.outcome,
      resultHash: hex(r.resultHash), occurredAt: r.occurredAt.toString(),
    },
    root: hex(proof.root),
    proof: proof.proof.map(hex),
    state: proof.status.state,
  };
}

/** Back to contracts' AnchorProof; throws on a malformed field (the operator refuses to verify garbage). */
export function anchorProofFromJson(json: AnchorProofJson): AnchorProof {
  const r = json.record;
  if (![0, 1, 2, 3].includes(r.outcome)) throw new Error('record.outcome: expected 0 to 3');
  if (!/^\d{1,20}$/.test(r.occurredAt)) throw new Error('record.occurredAt: expected a decimal uint64');
  const eventId = anchorEventId(json.eventId);
  const root = bytes32('root', json.root);
  return {
    eventId,
    record: {
      transactionIdHash: bytes32('record.transactionIdHash', r.transactionIdHash), subscriber: bytes32('record.subscriber', r.subscriber),
      profileTypeHash: bytes32('record.profileTypeHash', r.profileTypeHash), outcome: r.outcome as Outcome, resultHash: bytes32('record.resultHash', r.resultHash),
      occurredAt: BigInt(r.occurredAt),
    },
    root,
    proof: json.proof.map((sibling, index) => bytes32(`proof[${index}]`, sibling)),
    status: { eventId, state: json.state, root },
  };
}

export function batchJson(batch: BatchSummary): BatchJson {
  return {
    batchId: batch.batchId,
    root: hex(batch.root),
    leafCount: batch.leafCount,
    state: batch.state,
    ...(batch.transactionHash === undefined ? {} : { transactionHash: hex(batch.transactionHash) }),
    ...(batch.batchNumber === undefined ? {} : { batchNumber: batch.batchNumber }),
    ...(batch.blockNumber === undefined ? {} : { blockNumber: batch.blockNumber }),
    createdAt: batch.createdAt,
    ...(batch.anchoredAt === undefined ? {} : { anchoredAt: batch.anchoredAt }),
  };
}
