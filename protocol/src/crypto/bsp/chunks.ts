// Cutting data into BSP segments (SGP.22 v2.2.2 §2.5.5 / §5.5; BPP layout §2.5.4): the UPP goes into
// `86` segments of at most 1007 plaintext bytes, which need not align with profile element boundaries;
// StoreMetadata into `88` segments of at most 1008 bytes.
import { CryptoInputError } from '../errors.js';
import {
  BspSession,
  maxEncryptedPlaintextLength,
  maxMacOnlyPlaintextLength,
  tagMacOnlySegment,
  tagProfileElementSegment,
  type BspSegmentTag,
} from './segment.js';

/** Consecutive chunks of at most `size` bytes (one empty chunk for empty input). */
export function splitIntoChunks(data: Uint8Array, size: number): Uint8Array[] {
  if (!Number.isInteger(size) || size < 1) throw new CryptoInputError(`size: expected a positive integer, got ${size}`);
  if (data.length === 0) return [new Uint8Array(0)];
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += size) chunks.push(data.subarray(offset, offset + size));
  return chunks;
}

/** Protects a UPP (concatenated SAIP profile elements) as the `86` segments of sequenceOf86. */
export function protectProfileElements(session: BspSession, upp: Uint8Array): Uint8Array[] {
  return session.protectEncryptedAll(tagProfileElementSegment, splitIntoChunks(upp, maxEncryptedPlaintextLength));
}

/** Protects a StoreMetadataRequest (BF25) as the `88` segments of sequenceOf88. */
export function protectStoreMetadata(session: BspSession, storeMetadataRequest: Uint8Array): Uint8Array[] {
  return session.protectMacOnlyAll(tagMacOnlySegment, splitIntoChunks(storeMetadataRequest, maxMacOnlyPlaintextLength));
}

/** Verifies segments in order, all of tag `expectedTag`, and concatenates their plaintext. */
export function unprotectSegments(session: BspSession, segments: readonly Uint8Array[], expectedTag: BspSegmentTag): Uint8Array {
  return session.unprotectJoined(segments, expectedTag);
}
