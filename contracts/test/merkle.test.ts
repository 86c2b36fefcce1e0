// The outbox's leaf hashes, roots and proofs are exactly OpenZeppelin StandardMerkleTree's (which is what
// DownloadAnchor's MerkleProof checks), for batch sizes with full and ragged last levels.
import { describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, hexlify, keccak256 } from 'ethers';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { anchorRecordOf, recordLeafHash, recordValues, RECORD_ENCODING } from '../src/anchor/anchorRecord.js';
import { installResult } from '@zkesim/testing/chain/installResults';

describe('anchor Merkle tree', () => {
  it('leaf hash equals keccak256(keccak256(abi.encode(record))) and the library leaf', () => {
    for (const index of [0, 3, 5, 1_000_000]) {
      const record = anchorRecordOf(installResult(index));
      const values = recordValues(record);
      const viaAbiCoder = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(RECORD_ENCODING, values)));
      expect(recordLeafHash(record)).toBe(viaAbiCoder);
      expect(recordLeafHash(record)).toBe(StandardMerkleTree.of([values], RECORD_ENCODING).leafHash(values));
    }
  });

  it.each([1, 2, 3, 37, 64, 257])('batch of %i: root and every proof match StandardMerkleTree', (size) => {
    const outbox = new AnchorOutbox(':memory:');
    const ids = Array.from({ length: size }, (_, index) => outbox.record(installResult(index)).eventId);
    outbox.createBatch(size);
    const values = Array.from({ length: size }, (_, index) => recordValues(anchorRecordOf(installResult(index))));
    const reference = StandardMerkleTree.of(values, RECORD_ENCODING);
    ids.forEach((eventId, index) => {
      const proof = outbox.proof(eventId);
      expect(hexlify(proof?.root ?? new Uint8Array())).toBe(reference.root);
      expect(proof?.proof.map((sibling) => hexlify(sibling))).toEqual(reference.getProof(index));
    });
    outbox.close();
  });
});
