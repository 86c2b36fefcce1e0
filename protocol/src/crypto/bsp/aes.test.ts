import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { Aes128 } from './aes.js';
import { CryptoInputError } from '../errors.js';
import { hex, toHex } from '../testing/fixtures.js';

// NIST SP 800-38A, F.1.1 (ECB-AES128.Encrypt) and F.2.1 / F.2.2 (CBC-AES128).
const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
const iv = hex('000102030405060708090a0b0c0d0e0f');
const plaintext = hex('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51');
const cbcCiphertext = '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2';

describe('Aes128 with re-used contexts (NIST SP 800-38A vectors)', () => {
  it('ECB block encryption (F.1.1)', () => {
    const aes = new Aes128(key);
    expect(toHex(aes.encryptBlock(plaintext.subarray(0, 16)))).toBe('3ad77bb40d7a3660a89ecaf32466ef97');
    expect(toHex(aes.encryptBlock(plaintext.subarray(0, 16)))).toBe('3ad77bb40d7a3660a89ecaf32466ef97');
  });

  it('CBC encryption and decryption (F.2.1, F.2.2), repeated on the same contexts', () => {
    const aes = new Aes128(key);
    for (let round = 0; round < 3; round += 1) {
      expect(toHex(aes.cbcEncrypt(iv, plaintext))).toBe(cbcCiphertext);
      expect(toHex(aes.cbcDecrypt(iv, hex(cbcCiphertext)))).toBe(toHex(plaintext));
    }
  });

  it('matches fresh node:crypto contexts for any sequence of IVs and lengths', () => {
    const call = fc.record({
      iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      blocks: fc.integer({ min: 1, max: 5 }),
      seed: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 8 }), (calls) => {
        const aes = new Aes128(key);
        for (const { iv: callIv, blocks, seed } of calls) {
          const data = Uint8Array.from({ length: blocks * 16 }, (_, i) => (i * 13 + seed) & 0xff);
          const reference = createCipheriv('aes-128-cbc', key, callIv).setAutoPadding(false).update(data);
          expect(toHex(aes.cbcEncrypt(callIv, data))).toBe(reference.toString('hex'));
          const back = createDecipheriv('aes-128-cbc', key, callIv).setAutoPadding(false).update(reference);
          expect(toHex(aes.cbcDecrypt(callIv, reference))).toBe(back.toString('hex'));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('cbcEncryptRegionsInPlace: each region as CBC with a zero IV on a fresh context, the bytes between untouched', () => {
    const region = fc.record({ gap: fc.integer({ min: 0, max: 20 }), blocks: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(region, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (regions, seed, usedBefore) => {
        const aes = new Aes128(key);
        if (usedBefore) aes.cbcEncrypt(iv, plaintext); // the context's chaining value is not zero
        const starts: number[] = [];
        const lengths: number[] = [];
        let end = 0;
        for (const { gap, blocks } of regions) {
          starts.push(end + gap);
          lengths.push(blocks * 16);
          end += gap + blocks * 16;
        }
        const data = Uint8Array.from({ length: end + 3 }, (_, i) => (i * 7 + seed) & 0xff);
        const expected = Buffer.from(data);
        starts.forEach((start, i) => {
          const zeroIv = createCipheriv('aes-128-cbc', key, new Uint8Array(16)).setAutoPadding(false);
          expected.set(zeroIv.update(data.subarray(start, start + (lengths[i] as number))), start);
        });
        aes.cbcEncryptRegionsInPlace(data, starts, lengths);
        expect(toHex(data)).toBe(expected.toString('hex'));
      }),
      { numRuns: 100 },
    );
    const aes = new Aes128(key);
    expect(() => aes.cbcEncryptRegionsInPlace(new Uint8Array(32), [0], [15])).toThrow(CryptoInputError);
    expect(() => aes.cbcEncryptRegionsInPlace(new Uint8Array(32), [20], [16])).toThrow(CryptoInputError);
    expect(() => aes.cbcEncryptRegionsInPlace(new Uint8Array(32), [0, 16], [16])).toThrow(CryptoInputError);
    expect(() => aes.cbcEncryptRegionsInPlace(new Uint8Array(48), [16, 0], [16, 16])).toThrow(CryptoInputError);
    expect(() => aes.cbcEncryptRegionsInPlace(new Uint8Array(48), [0, 16], [32, 16])).toThrow(CryptoInputError);
    // A refused call encrypts nothing: the context goes on as if it had not been made.
    expect(toHex(aes.cbcEncrypt(iv, plaintext))).toBe(cbcCiphertext);
  });

  it('rejects partial blocks, bad IVs and bad keys', () => {
    const aes = new Aes128(key);
    expect(() => aes.cbcEncrypt(iv, new Uint8Array(15))).toThrow(CryptoInputError);
    expect(() => aes.cbcDecrypt(iv, new Uint8Array(0))).toThrow(CryptoInputError);
    expect(() => aes.cbcEncrypt(iv.subarray(1), new Uint8Array(16))).toThrow(CryptoInputError);
    expect(() => aes.encryptBlock(new Uint8Array(17))).toThrow(CryptoInputError);
    expect(() => new Aes128(new Uint8Array(24))).toThrow(CryptoInputError);
  });
});
