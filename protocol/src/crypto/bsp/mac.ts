// AES-CMAC (RFC 4493) over node:crypto AES, and the BSP C-MAC with its MAC chaining value
// (SGP.22 v2.2.2 §2.6.4.4 / GlobalPlatform SCP03).
import { assertBytes, CryptoInputError } from '../errors.js';
import { Aes128 } from './aes.js';

const blockSize = 16;
const zeroBlock = new Uint8Array(blockSize);
// RFC 4493 §2.3: R_b for 128-bit blocks.
const rb = 0x87;

function shiftLeftXor(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(blockSize);
  for (let i = 0; i < blockSize; i += 1) {
    out[i] = (((input[i] ?? 0) << 1) | ((input[i + 1] ?? 0) >>> 7)) & 0xff;
  }
  if ((input[0] ?? 0) & 0x80) out[blockSize - 1] = (out[blockSize - 1] ?? 0) ^ rb;
  return out;
}

/** RFC 4493 §2.3 Generate_Subkey: K1 and K2 from L = AES-K(0^128). */
export function cmacSubkeys(key: Uint8Array | Aes128): { k1: Uint8Array; k2: Uint8Array } {
  const aes = key instanceof Aes128 ? key : new Aes128(key);
  const k1 = shiftLeftXor(aes.encryptBlock(new Uint8Array(blockSize)));
  return { k1, k2: shiftLeftXor(k1) };
}

/** AES-CMAC under one key, with its subkeys computed once. */
export class AesCmac {
  readonly #aes: Aes128;
  readonly #k1: Uint8Array;
  readonly #k2: Uint8Array;
  // The subkeys as 32-bit words in memory order, for XORing whole words of an aligned buffer.
  readonly #k1Words: Uint32Array;
  readonly #k2Words: Uint32Array;

  constructor(key: Uint8Array) {
    assertBytes(key, 'key', 16);
    this.#aes = new Aes128(key);
    ({ k1: this.#k1, k2: this.#k2 } = cmacSubkeys(this.#aes));
    this.#k1Words = new Uint32Array(this.#k1.slice().buffer);
    this.#k2Words = new Uint32Array(this.#k2.slice().buffer);
  }

  /**
   * RFC 4493 §2.4 (16-byte tag): the last block is XORed with K1 (complete) or padded with 80 00.. and
   * XORed with K2 (incomplete or empty); then AES-CBC with a zero IV, last block.
   */
  mac(message: Uint8Array): Uint8Array {
    return this.macOf(message);
  }

  /** The CMAC of the concatenated parts. */
  macOf(...parts: Uint8Array[]): Uint8Array {
    let length = 0;
    for (const part of parts) length += part.length;
    const data = new Uint8Array(paddedLength(length));
    let offset = 0;
    for (const part of parts) {
      data.set(part, offset);
      offset += part.length;
    }
    this.#finishLastBlock(data, undefined, 0, length);
    const encrypted = this.#aes.cbcEncryptInPlace(zeroBlock, data);
    return encrypted.slice(encrypted.length - blockSize);
  }

  /**
   * The BSP's chained CMACs: MAC_1 = CMAC(mcv ‖ m_1), MAC_i = CMAC(MAC_(i-1) ‖ m_i), all 16 bytes, in one
   * CBC pass. Each CMAC is CBC with a zero IV; its first block MAC_(i-1) ⊕ 0 is what a CBC pass carried on
   * from the previous message would meet as (input ⊕ chaining value) with a zero input block, since that
   * chaining value is MAC_(i-1) itself. So the messages, each as a zero block followed by its padded
   * blocks (the first with mcv instead of zeros), go through the CBC context together.
   */
  macChain(mcv: Uint8Array, messages: readonly Uint8Array[]): Uint8Array[] {
    const layout = macChainLayout(messages.map((message) => message.length));
    for (let i = 0; i < messages.length; i += 1) layout.data.set(messages[i] as Uint8Array, layout.offsets[i]);
    return this.macChainIn(mcv, layout);
  }

  /**
   * macChain over messages the caller wrote in place into `layout.data` (saves copying them there). The
   * message bytes are left as they were written; the bytes between messages are overwritten.
   */
  macChainIn(mcv: Uint8Array, layout: MacChainLayout): Uint8Array[] {
    const encrypted = this.macChainPass(mcv, layout);
    const macs: Uint8Array[] = [];
    for (let i = 0; i < layout.lengths.length; i += 1) {
      const end = macEnd(layout, i);
      macs.push(encrypted.subarray(end - blockSize, end));
    }
    return macs;
  }

  /**
   * macChainIn without a view per MAC: the CBC pass's output, in which MAC_i is the block that ends at
   * macEnd(layout, i). The bytes between messages (each chaining value's block, the padding) are written
   * here, so the caller may leave anything there, e.g. a received segment's C-MAC after its message.
   */
  macChainPass(mcv: Uint8Array, layout: MacChainLayout): Uint8Array {
    assertBytes(mcv, 'mcv', 16);
    const { data, offsets, lengths } = layout;
    if (lengths.length === 0) return new Uint8Array(0);
    data.set(mcv, (offsets[0] as number) - blockSize);
    // Offsets are multiples of 16: over a buffer that starts on a 4-byte boundary (a fresh one, as
    // macChainLayout makes), the 16-byte blocks below are 4 aligned words each. Loops, not fill(): a call into
    // the runtime costs more than a block.
    const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : undefined;
    for (let i = 0; i < lengths.length; i += 1) {
      const offset = offsets[i] as number;
      if (i > 0 && words !== undefined) for (let w = (offset - blockSize) >>> 2; w < offset >>> 2; w += 1) words[w] = 0;
      else if (i > 0) for (let b = offset - blockSize; b < offset; b += 1) data[b] = 0;
      this.#finishLastBlock(data, words, offset, lengths[i] as number);
    }
    const end = macEnd(layout, lengths.length - 1);
    const encrypted = this.#aes.cbcEncryptInPlace(zeroBlock, end === data.length ? data : data.subarray(0, end));
    // The XOR with K1/K2 undone: the message bytes in each last block are the caller's again.
    for (let i = 0; i < lengths.length; i += 1) this.#xorSubkey(data, words, offsets[i] as number, lengths[i] as number);
    return encrypted;
  }

  /** RFC 4493 §2.4: pads a message of `length` bytes at `offset` (80 00..) and XORs its last block with K1 or K2. */
  #finishLastBlock(data: Uint8Array, words: Uint32Array | undefined, offset: number, length: number): void {
    if (length === 0 || length % blockSize !== 0) {
      data[offset + length] = 0x80;
      for (let b = offset + length + 1, end = offset + paddedLength(length); b < end; b += 1) data[b] = 0;
    }
    this.#xorSubkey(data, words, offset, length);
  }

  /** XORs K1 or K2 into the last block of the message at `offset` (through `words` when given: same bytes). */
  #xorSubkey(data: Uint8Array, words: Uint32Array | undefined, offset: number, length: number): void {
    const complete = length > 0 && length % blockSize === 0;
    const lastOffset = offset + paddedLength(length) - blockSize;
    if (words !== undefined && offset % blockSize === 0) {
      const subkey = complete ? this.#k1Words : this.#k2Words;
      const w = lastOffset >>> 2;
      for (let i = 0; i < 4; i += 1) words[w + i] = (words[w + i] as number) ^ (subkey[i] as number);
      return;
    }
    const subkey = complete ? this.#k1 : this.#k2;
    for (let i = 0; i < blockSize; i += 1) data[lastOffset + i] = (data[lastOffset + i] as number) ^ (subkey[i] as number);
  }
}

/** The buffer of a MAC chain: message i goes at `offsets[i]` (`lengths[i]` bytes), after a block for its chaining value. */
export interface MacChainLayout {
  data: Uint8Array;
  offsets: readonly number[];
  lengths: readonly number[];
}

/** Where MAC_i ends in the output of macChainPass (and message i's padded blocks in `layout.data`). */
export function macEnd(layout: MacChainLayout, index: number): number {
  return (layout.offsets[index] as number) + paddedLength(layout.lengths[index] as number);
}

/**
 * A zeroed MacChainLayout for messages of these lengths, with `spare` bytes more at its end. Messages are not
 * empty (a BSP segment has at least its tag and length): CMAC(MAC ‖ empty) would pad nothing after the chaining
 * value, which the layout's one block per chaining value cannot express.
 */
export function macChainLayout(lengths: readonly number[], spare = 0): MacChainLayout {
  const offsets: number[] = [];
  let total = 0;
  for (const length of lengths) {
    if (!Number.isSafeInteger(length) || length < 1) throw new CryptoInputError(`message: ${length} bytes; a MAC chain message is not empty`);
    offsets.push(total + blockSize);
    total += blockSize + paddedLength(length);
  }
  return { data: new Uint8Array(total + spare), offsets, lengths };
}

/** Length of a CMAC input after padding: whole blocks, at least one. */
function paddedLength(length: number): number {
  return length <= blockSize ? blockSize : length + ((blockSize - (length % blockSize)) % blockSize);
}

/** AES-CMAC of RFC 4493 (16-byte tag). */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new AesCmac(key).mac(message);
}

/** Length of the C-MAC appended to each BSP segment. */
export const cMacLength = 8;

/**
 * The full CMAC of a segment: AES-CMAC(S-MAC, MCV ‖ segment-without-C-MAC), where the segment header
 * already carries the final length (payload + 8). The first 8 bytes are the C-MAC; all 16 become the next MCV.
 */
export function bspFullMac(sMac: Uint8Array | AesCmac, mcv: Uint8Array, segmentHeaderAndPayload: Uint8Array): Uint8Array {
  assertBytes(mcv, 'mcv', 16);
  return (sMac instanceof AesCmac ? sMac : new AesCmac(sMac)).macOf(mcv, segmentHeaderAndPayload);
}
