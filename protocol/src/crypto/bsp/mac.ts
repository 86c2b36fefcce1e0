// AES-CMAC (RFC 4493) over node:crypto AES, and the BSP C-MAC with its MAC chaining value
// (SGP.22 v2.2.2 §2.6.4.4 / GlobalPlatform SCP03; RSP-FACTS §3.5 step 2).
import { createCipheriv } from 'node:crypto';
import { assertBytes } from '../errors.js';

const blockSize = 16;
// RFC 4493 §2.3: R_b for 128-bit blocks.
const rb = 0x87;

function aesEcbBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

function shiftLeftXor(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(blockSize);
  for (let i = 0; i < blockSize; i += 1) {
    out[i] = (((input[i] ?? 0) << 1) | ((input[i + 1] ?? 0) >>> 7)) & 0xff;
  }
  if ((input[0] ?? 0) & 0x80) out[blockSize - 1] = (out[blockSize - 1] ?? 0) ^ rb;
  return out;
}

/** RFC 4493 §2.3 Generate_Subkey: K1 and K2 from L = AES-K(0^128). */
export function cmacSubkeys(key: Uint8Array): { k1: Uint8Array; k2: Uint8Array } {
  const k1 = shiftLeftXor(aesEcbBlock(key, new Uint8Array(blockSize)));
  return { k1, k2: shiftLeftXor(k1) };
}

/**
 * AES-CMAC of RFC 4493 §2.4 (16-byte tag). The last block is XORed with K1 (complete) or padded with
 * 80 00.. and XORed with K2 (incomplete or empty); then AES-CBC with a zero IV, last block.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(key, 'key', 16);
  const { k1, k2 } = cmacSubkeys(key);
  const blocks = Math.max(1, Math.ceil(message.length / blockSize));
  const complete = message.length > 0 && message.length % blockSize === 0;
  const data = new Uint8Array(blocks * blockSize);
  data.set(message);
  if (!complete) data[message.length] = 0x80;
  const subkey = complete ? k1 : k2;
  const lastOffset = (blocks - 1) * blockSize;
  for (let i = 0; i < blockSize; i += 1) data[lastOffset + i] = (data[lastOffset + i] ?? 0) ^ (subkey[i] ?? 0);
  const cipher = createCipheriv('aes-128-cbc', key, new Uint8Array(blockSize));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(data), cipher.final()]);
  return new Uint8Array(encrypted.subarray(encrypted.length - blockSize));
}

/** Length of the C-MAC appended to each BSP segment. */
export const cMacLength = 8;

/**
 * The full CMAC of a segment: AES-CMAC(S-MAC, MCV ‖ segment-without-C-MAC), where the segment header
 * already carries the final length (payload + 8). The first 8 bytes are the C-MAC; all 16 become the next MCV.
 */
export function bspFullMac(sMac: Uint8Array, mcv: Uint8Array, segmentHeaderAndPayload: Uint8Array): Uint8Array {
  assertBytes(mcv, 'mcv', 16);
  const input = new Uint8Array(mcv.length + segmentHeaderAndPayload.length);
  input.set(mcv);
  input.set(segmentHeaderAndPayload, mcv.length);
  return aesCmac(sMac, input);
}
