// BSP encryption (SGP.22 v2.2.2 §2.6.4.4 / GlobalPlatform SCP03 with SGP.22's padding):
// AES-128-CBC under S-ENC with ICV = AES-ECB(S-ENC, counter as a 16-byte big-endian block),
// over the plaintext with unconditional `80 00..` padding.
import { BspStructureError, CryptoInputError } from '../errors.js';
import { Aes128 } from './aes.js';

const blockSize = 16;

/** ICV = AES-ECB(S-ENC, counter), counter as 16 bytes big-endian. */
export function bspIcv(sEnc: Uint8Array | Aes128, counter: number): Uint8Array {
  if (!Number.isSafeInteger(counter) || counter < 1) throw new CryptoInputError(`counter: expected a positive integer, got ${counter}`);
  const block = Buffer.alloc(blockSize);
  block.writeBigUInt64BE(BigInt(counter), 8);
  return aesOf(sEnc).encryptBlock(block);
}

function aesOf(key: Uint8Array | Aes128): Aes128 {
  return key instanceof Aes128 ? key : new Aes128(key);
}

/** Appends `80` and then `00`s up to a multiple of 16; always adds at least one byte (§2.6.4.4). */
export function padBsp(plaintext: Uint8Array): Uint8Array {
  const padded = new Uint8Array((Math.floor(plaintext.length / blockSize) + 1) * blockSize);
  padded.set(plaintext);
  padded[plaintext.length] = 0x80;
  return padded;
}

/** Removes the padding; throws BspStructureError when it is not `80 00..` within the last block. */
export function unpadBsp(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0x00 && padded.length - end <= blockSize) end -= 1;
  if (end < 0 || padded[end] !== 0x80 || padded.length - end > blockSize) {
    throw new BspStructureError('BSP padding: expected 80 followed by at most 15 zero bytes');
  }
  return padded.slice(0, end);
}

/** Encrypts one segment's plaintext with the given counter. */
export function bspEncrypt(sEnc: Uint8Array | Aes128, counter: number, plaintext: Uint8Array): Uint8Array {
  const aes = aesOf(sEnc);
  return aes.cbcEncrypt(bspIcv(aes, counter), padBsp(plaintext));
}

/** Decrypts one segment's ciphertext with the given counter and strips the padding. */
export function bspDecrypt(sEnc: Uint8Array | Aes128, counter: number, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) {
    throw new BspStructureError(`BSP ciphertext: ${ciphertext.length} bytes is not a positive multiple of 16`);
  }
  const aes = aesOf(sEnc);
  return unpadBsp(aes.cbcDecrypt(bspIcv(aes, counter), ciphertext));
}
