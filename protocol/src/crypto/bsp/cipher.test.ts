import { describe, expect, it } from 'vitest';
import { createCipheriv } from 'node:crypto';
import { bspDecrypt, bspEncrypt, bspIcv, padBsp, unpadBsp } from './cipher.js';
import { BspStructureError, CryptoInputError } from '../errors.js';
import { hex, toHex } from '../testing/fixtures.js';

const sEnc = hex('472f5bfadd97f21d34f3ce9b51b92751');

describe('BSP encryption (SGP.22 §2.6.4.4)', () => {
  it('pads unconditionally with 80 00..', () => {
    expect(toHex(padBsp(hex('bf2400')))).toBe('bf2400' + '80' + '00'.repeat(12));
    expect(toHex(padBsp(new Uint8Array(16)))).toBe('00'.repeat(16) + '80' + '00'.repeat(15));
    expect(padBsp(new Uint8Array(0))).toHaveLength(16);
  });

  it('strips the padding and rejects anything else', () => {
    expect(toHex(unpadBsp(hex('bf2400' + '80' + '00'.repeat(12))))).toBe('bf2400');
    expect(unpadBsp(hex('80' + '00'.repeat(15)))).toHaveLength(0);
    expect(() => unpadBsp(hex('00'.repeat(16)))).toThrow(BspStructureError);
    expect(() => unpadBsp(hex('bf2400' + '81' + '00'.repeat(12)))).toThrow(BspStructureError);
    expect(() => unpadBsp(hex('80' + '00'.repeat(16)))).toThrow(BspStructureError);
  });

  it('ICV = AES-ECB(S-ENC, counter as a 16-byte big-endian block)', () => {
    const ecb = createCipheriv('aes-128-ecb', sEnc, null);
    ecb.setAutoPadding(false);
    const expected = ecb.update(hex('00000000000000000000000000000102')).toString('hex');
    expect(toHex(bspIcv(sEnc, 0x102))).toBe(expected);
    expect(() => bspIcv(sEnc, 0)).toThrow(CryptoInputError);
  });

  it('the ConfigureISDP payload bf2400 (counter 1) encrypts to the known ciphertext', () => {
    // Segment 8718 ‖ ciphertext(16) ‖ C-MAC(8): the ciphertext is bytes 2..18.
    expect(toHex(bspEncrypt(sEnc, 1, hex('bf2400')))).toBe('f6fe031e4b9cfe87c8e1e62f3fde85c4');
  });

  it('round-trips and rejects ciphertext that is not whole blocks', () => {
    const plaintext = hex('00112233445566778899aabbccddeeff00');
    expect(toHex(bspDecrypt(sEnc, 7, bspEncrypt(sEnc, 7, plaintext)))).toBe(toHex(plaintext));
    expect(() => bspDecrypt(sEnc, 1, new Uint8Array(15))).toThrow(BspStructureError);
    expect(() => bspDecrypt(sEnc, 1, new Uint8Array(0))).toThrow(BspStructureError);
  });
});
