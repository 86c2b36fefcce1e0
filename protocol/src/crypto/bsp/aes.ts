// AES-128 with node:crypto contexts kept per key. Creating a cipher context costs about as much as
// encrypting a whole 1 KB segment, and the BSP needs four per segment (ICV, CBC, two for CMAC), so one
// ECB context and one CBC context per direction are kept and re-used, each made on first use (a BSP session
// that only protects never decrypts; a CMAC key never decrypts nor needs ECB):
// - ECB is stateless between blocks.
// - A CBC context keeps the last ciphertext block as its chaining value. CBC with another IV is the
//   same context fed (first block ⊕ IV ⊕ chaining value) when encrypting, or with its first output
//   block corrected by (IV ⊕ chaining value) when decrypting.
import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { assertBytes, CryptoInputError } from '../errors.js';

const blockSize = 16;
const zeroBlock = new Uint8Array(blockSize);

function xorInto(target: Uint8Array, offset: number, a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < blockSize; i += 1) target[offset + i] = (target[offset + i] ?? 0) ^ (a[i] ?? 0) ^ (b[i] ?? 0);
}

/** A plain Uint8Array over the bytes of a Buffer node:crypto returned (no copy; the Buffer is not kept). */
function viewOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** AES-128 ECB block encryption and CBC encryption/decryption (no padding) under one key. */
export class Aes128 {
  readonly #key: Uint8Array;
  #ecb: Cipher | undefined;
  #cbcEncrypt: Cipher | undefined;
  #cbcDecrypt: Decipher | undefined;
  readonly #encryptChain = new Uint8Array(blockSize);
  readonly #decryptChain = new Uint8Array(blockSize);

  constructor(key: Uint8Array) {
    assertBytes(key, 'key', 16);
    this.#key = new Uint8Array(key);
  }

  /** AES of one 16-byte block: the CBC encryption context with IV = its chaining value is ECB for one block. */
  encryptBlock(block: Uint8Array): Uint8Array {
    assertBytes(block, 'block', blockSize);
    return this.cbcEncryptInPlace(zeroBlock, new Uint8Array(block));
  }

  /** AES-ECB of whole blocks (each block on its own). */
  ecbEncrypt(data: Uint8Array): Uint8Array {
    this.#checkBlocks(zeroBlock, data);
    this.#ecb ??= createCipheriv('aes-128-ecb', this.#key, null).setAutoPadding(false);
    return viewOf(this.#ecb.update(data));
  }

  /** AES-CBC encryption of whole blocks with the given IV. */
  cbcEncrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    this.#checkBlocks(iv, data);
    return this.cbcEncryptInPlace(iv, new Uint8Array(data));
  }

  /**
   * As cbcEncrypt, for a buffer the caller owns and no longer needs: its first block is overwritten. Saves
   * the copy of the input (the BSP encrypts and MACs buffers it has just built).
   */
  cbcEncryptInPlace(iv: Uint8Array, data: Uint8Array): Uint8Array {
    this.#checkBlocks(iv, data);
    xorInto(data, 0, iv, this.#encryptChain);
    this.#cbcEncrypt ??= createCipheriv('aes-128-cbc', this.#key, zeroBlock).setAutoPadding(false);
    const output = viewOf(this.#cbcEncrypt.update(data));
    this.#encryptChain.set(output.subarray(output.length - blockSize));
    return output;
  }

  /**
   * AES-CBC encryption with a zero IV, in place, of each of `starts.length` regions of `data`: region i is
   * `lengths[i]` bytes (whole blocks) from `starts[i]`. One context and one call per region: each region's
   * first block is fed ⊕ the chaining value the previous call left (as cbcEncryptInPlace does), and the
   * output is written back over the region. Regions are in ascending order and do not overlap.
   */
  cbcEncryptRegionsInPlace(data: Uint8Array, starts: readonly number[], lengths: readonly number[]): void {
    if (starts.length !== lengths.length) throw new CryptoInputError(`regions: ${starts.length} starts and ${lengths.length} lengths`);
    this.#cbcEncrypt ??= createCipheriv('aes-128-cbc', this.#key, zeroBlock).setAutoPadding(false);
    for (let i = 0, previousEnd = 0; i < starts.length; i += 1) {
      const start = starts[i] as number;
      const length = lengths[i] as number;
      if (length === 0 || length % blockSize !== 0 || start < previousEnd || start + length > data.length) {
        throw new CryptoInputError(`region ${i}: ${length} bytes at ${start} is not whole blocks inside the data, after the region before it`);
      }
      previousEnd = start + length;
    }
    // The chaining value: this.#encryptChain before the first region, then the last block just written back.
    let chain: Uint8Array = this.#encryptChain;
    let chainAt = 0;
    for (let i = 0; i < starts.length; i += 1) {
      const start = starts[i] as number;
      const length = lengths[i] as number;
      for (let b = 0; b < blockSize; b += 1) data[start + b] = (data[start + b] as number) ^ (chain[chainAt + b] as number);
      data.set(this.#cbcEncrypt.update(data.subarray(start, start + length)), start);
      chain = data;
      chainAt = start + length - blockSize;
    }
    if (chain === data) this.#encryptChain.set(data.subarray(chainAt, chainAt + blockSize));
  }

  /** AES-CBC decryption of whole blocks with the given IV. */
  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    this.#checkBlocks(iv, data);
    this.#cbcDecrypt ??= createDecipheriv('aes-128-cbc', this.#key, zeroBlock).setAutoPadding(false);
    const output = viewOf(this.#cbcDecrypt.update(data));
    xorInto(output, 0, iv, this.#decryptChain);
    this.#decryptChain.set(data.subarray(data.length - blockSize));
    return output;
  }

  #checkBlocks(iv: Uint8Array, data: Uint8Array): void {
    assertBytes(iv, 'iv', blockSize);
    if (data.length === 0 || data.length % blockSize !== 0) {
      throw new CryptoInputError(`data: ${data.length} bytes is not a positive multiple of 16`);
    }
  }
}
