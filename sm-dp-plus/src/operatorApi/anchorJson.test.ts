// The operator API's JSON form of an anchor proof turns back into the same proof, and refuses malformed fields.
import { describe, expect, it } from 'vitest';
import { anchorEventId, type AnchorProof } from '@zkesim/contracts';
import { anchorProofFromJson, anchorProofJson } from './anchorJson.js';

const bytes = (byte: number) => new Uint8Array(32).fill(byte);
const eventId = anchorEventId(`0x${'11'.repeat(32)}`);
const proof: AnchorProof = {
  eventId,
  record: { transactionIdHash: bytes(1), subscriber: bytes(2), profileTypeHash: bytes(3), outcome: 0, resultHash: bytes(4), occurredAt: 1_790_000_000n },
  root: bytes(5),
  proof: [bytes(6), bytes(7)],
  status: { eventId, state: 'anchored', root: bytes(5) },
};

describe('anchor proof JSON', () => {
  it('round-trips', () => {
    const json = anchorProofJson(proof);
    expect(json.record.occurredAt).toBe('1790000000');
    expect(json.proof).toEqual([`0x${'06'.repeat(32)}`, `0x${'07'.repeat(32)}`]);
    expect(anchorProofFromJson(JSON.parse(JSON.stringify(json)) as typeof json)).toEqual(proof);
  });

  it('refuses malformed fields, naming them', () => {
    const json = anchorProofJson(proof);
    expect(() => anchorProofFromJson({ ...json, root: '0x12' })).toThrow('root: expected 0x and 64 lowercase hex digits');
    expect(() => anchorProofFromJson({ ...json, proof: ['zz'] })).toThrow('proof[0]');
    expect(() => anchorProofFromJson({ ...json, record: { ...json.record, outcome: 9 } })).toThrow('record.outcome');
    expect(() => anchorProofFromJson({ ...json, record: { ...json.record, occurredAt: '-1' } })).toThrow('record.occurredAt');
  });
});
