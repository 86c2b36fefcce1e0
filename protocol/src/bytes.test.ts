import { describe, expect, it } from 'vitest';
import { HexFormatError, bytesEqual, concatBytes, fromHex, hexByte, isHex, secretsEqual, toHex } from './bytes.js';

describe('bytes', () => {
  it('compares bytes, plainly and in constant time', () => {
    for (const equal of [bytesEqual, secretsEqual]) {
      expect(equal(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
      expect(equal(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
      expect(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
      expect(equal(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    }
  });

  it('concatenates', () => {
    expect(concatBytes([Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)])).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });

  it('writes and reads hex, naming the field of bad hex', () => {
    const bytes = Uint8Array.of(0xbf, 0x2e, 0x00);
    expect(toHex(bytes)).toBe('bf2e00');
    expect(toHex(bytes, 'upper')).toBe('BF2E00');
    expect(toHex(bytes.subarray(1))).toBe('2e00');
    expect(fromHex('BF2e00')).toEqual(bytes);
    expect(hexByte(0x0e)).toBe('0E');
    expect(isHex('')).toBe(true);
    expect(isHex('abc')).toBe(false);
    expect(() => fromHex('BF2', 'apdu')).toThrow(new HexFormatError('apdu'));
    expect(() => fromHex('zz')).toThrow(HexFormatError);
  });
});
