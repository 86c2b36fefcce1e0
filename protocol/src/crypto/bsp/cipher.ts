// BSP encryption (SGP.22 v2.2.2 §2.6.4.4 / GlobalPlatform SCP03 with SGP.22's padding):
// AES-128-CBC under S-ENC with ICV = AES-ECB(S-ENC, counter as a 16-byte big-endian block),
// over the plaintext with unconditional `80 00..` padding.
import { BspStructureError, CryptoInputError } from '../errors.js';
import { Aes128 } from './aes.js';

const blockSize = 16;

/** ICV = AES-ECB(S-ENC, counter), counter as 16 bytes big-endian. */
export function bspIcv(sEnc: Uint8Array | Aes128, counter: number): Uint8Array {
  if (!Number.isSafeInteger(counter) || counter < 1) throw new CryptoInputError(`counter: expected a positive integer, got ${counter}`);
  const block = new Uint8Array(blockSize);
  writeCounter(block, 0, counter);
  return aesOf(sEnc).encryptBlock(block);
}

function aesOf(key: Uint8Array | Aes128): Aes128 {
  return key instanceof Aes128 ? key : new Aes128(key);
}

/** Appends `80` and then `00`s up to a multiple of 16; always adds at least one byte (§2.6.4.4). */
export function padBsp(plaintext: Uint8Array): Uint8Array {
  const padded = new Uint8Array(paddedLength(plaintext.length));
  padded.set(plaintext);
  padded[plaintext.length] = 0x80;
  return padded;
}

/** Removes the padding; throws BspStructureError when it is not `80 00..` within the last block. */
export function unpadBsp(padded: Uint8Array): Uint8Array {
  return padded.subarray(0, paddingStart(padded, 0, padded.length));
}

/** Where the padding of the padded plaintext from `start` to `end` in `data` begins (its `80`); as unpadBsp. */
export function paddingStart(data: Uint8Array, start: number, end: number): number {
  let at = end - 1;
  while (at >= start && data[at] === 0x00 && end - at <= blockSize) at -= 1;
  if (at < start || data[at] !== 0x80 || end - at > blockSize) {
    throw new BspStructureError('BSP padding: expected 80 followed by at most 15 zero bytes');
  }
  return at;
}

/** Encrypts one segment's plaintext with the given counter (bspEncryptInPlace of one segment). */
export function bspEncrypt(sEnc: Uint8Array | Aes128, counter: number, plaintext: Uint8Array): Uint8Array {
  const data = new Uint8Array(blockSize + paddedLength(plaintext.length));
  data.set(plaintext, blockSize);
  data[blockSize + plaintext.length] = 0x80;
  bspEncryptInPlace(aesOf(sEnc), data, [blockSize], [data.length - blockSize], counter);
  return data.subarray(blockSize);
}

/** Length of a plaintext after the BSP padding (§2.6.4.4: always at least one byte added). */
export function paddedLength(plaintextLength: number): number {
  return (Math.floor(plaintextLength / blockSize) + 1) * blockSize;
}

/**
 * Encrypts consecutive segments in place: segment i's padded plaintext is `paddedLengths[i]` bytes at
 * `starts[i]` in `data`, its counter `firstCounter + i`. The 16 bytes before each are scratch: the counter
 * block is written there, and CBC from a zero IV over (counter block ‖ padded plaintext) gives AES(counter) =
 * ICV in that place, then the ciphertext chained from it, which is CBC with IV = ICV. One call per segment on
 * one context (Aes128.cbcEncryptRegionsInPlace).
 */
export function bspEncryptInPlace(aes: Aes128, data: Uint8Array, starts: readonly number[], paddedLengths: readonly number[], firstCounter: number): void {
  const count = starts.length;
  if (!Number.isSafeInteger(firstCounter) || firstCounter < 1 || !Number.isSafeInteger(firstCounter + count)) {
    throw new CryptoInputError(`counter: expected a positive integer, got ${firstCounter}`);
  }
  const regions: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const region = (starts[i] as number) - blockSize;
    if (region < 0) throw new CryptoInputError(`segment ${i}: no 16 bytes before its plaintext for the counter block`);
    writeCounter(data, region, firstCounter + i);
    regions.push(region);
    lengths.push((paddedLengths[i] as number) + blockSize);
  }
  aes.cbcEncryptRegionsInPlace(data, regions, lengths);
}

/**
 * Decrypts one segment's ciphertext with the given counter and strips the padding. `icv` may be given when
 * the caller computed it already (BspSession computes the ICVs of many counters in one pass).
 */
export function bspDecrypt(sEnc: Uint8Array | Aes128, counter: number, ciphertext: Uint8Array, icv?: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) {
    throw new BspStructureError(`BSP ciphertext: ${ciphertext.length} bytes is not a positive multiple of 16`);
  }
  const aes = aesOf(sEnc);
  return unpadBsp(aes.cbcDecrypt(icv ?? bspIcv(aes, counter), ciphertext));
}

/** The counter as a 16-byte big-endian block at `offset`. */
function writeCounter(target: Uint8Array, offset: number, counter: number): void {
  // Counters are safe integers (below 2^53): bytes 0..7 of the block are zero, 8..15 the counter, big-endian.
  let rest = counter;
  for (let i = offset + 15; i >= offset + 8; i -= 1) {
    target[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  for (let i = offset; i < offset + 8; i += 1) target[i] = 0;
}

/** ICVs of `count` consecutive counters from `first`, in one ECB pass (16 bytes each, in order). */
export function bspIcvs(sEnc: Aes128, first: number, count: number): Uint8Array {
  if (!Number.isSafeInteger(first) || first < 1 || !Number.isSafeInteger(first + count)) throw new CryptoInputError(`counter: expected a positive integer, got ${first}`);
  const blocks = new Uint8Array(count * blockSize);
  for (let i = 0; i < count; i += 1) writeCounter(blocks, i * blockSize, first + i);
  return sEnc.ecbEncrypt(blocks);
}
