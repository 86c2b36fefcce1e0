// AES-CMAC (RFC 4493) over node:crypto AES, and the BSP C-MAC with its MAC chaining value
// (SGP.22 v2.2.2 §2.6.4.4 / GlobalPlatform SCP03).
import { assertBytes } from '../errors.js';
import { Aes128 } from './aes.js';

const blockSize = 16;
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

  constructor(key: Uint8Array) {
    assertBytes(key, 'key', 16);
    this.#aes = new Aes128(key);
    ({ k1: this.#k1, k2: this.#k2 } = cmacSubkeys(this.#aes));
  }

  /**
   * RFC 4493 §2.4 (16-byte tag): the last block is XORed with K1 (complete) or padded with 80 00.. and
   * XORed with K2 (incomplete or empty); then AES-CBC with a zero IV, last block.
   */
  mac(message: Uint8Array): Uint8Array {
    const blocks = Math.max(1, Math.ceil(message.length / blockSize));
    const complete = message.length > 0 && message.length % blockSize === 0;
    const data = new Uint8Array(blocks * blockSize);
    data.set(message);
    if (!complete) data[message.length] = 0x80;
    const subkey = complete ? this.#k1 : this.#k2;
    const lastOffset = (blocks - 1) * blockSize;
    for (let i = 0; i < blockSize; i += 1) data[lastOffset + i] = (data[lastOffset + i] ?? 0) ^ (subkey[i] ?? 0);
    const encrypted = this.#aes.cbcEncrypt(new Uint8Array(blockSize), data);
    return encrypted.slice(encrypted.length - blockSize);
  }
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
  const input = new Uint8Array(mcv.length + segmentHeaderAndPayload.length);
  input.set(mcv);
  input.set(segmentHeaderAndPayload, mcv.length);
  return (sMac instanceof AesCmac ? sMac : new AesCmac(sMac)).mac(input);
}
