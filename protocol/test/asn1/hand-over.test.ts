// DecodeOptions.handOver: the decoder keeps views into the caller's bytes instead of a private copy. The
// decoded value is the same either way; only who owns the bytes differs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Certificate, derOf, EUICCInfo1, ProfileElement, splitTlvs, type Codec } from '../../src/index.js';
import { decodeOutcome } from './reference/harness.js';
import { mutate, mutations } from './mutations.js';
import { TS48_PROFILES, sharedFile, toHex } from '../support.js';

const elements = splitTlvs(sharedFile(`spec/upp/${TS48_PROFILES[0]}`)).map((tlv) => tlv.tlv);

describe('decode with the bytes handed over', () => {
  it('gives the same value or the same error as a decode of a private copy, for mutated profile elements', () => {
    const codec = ProfileElement as Codec<unknown>;
    fc.assert(
      fc.property(fc.nat(elements.length - 1), mutations, (index, changes) => {
        const input = mutate(elements[index]!, changes);
        expect(decodeOutcome(() => codec.decode(input.slice(), { handOver: true }))).toEqual(decodeOutcome(() => codec.decode(input)));
      }),
      { numRuns: 1000, seed: 0x4a0 },
    );
  });

  it('keeps views into the handed-over bytes, and copies them otherwise', () => {
    const der = Uint8Array.from(Buffer.from('bf20 35 820302020a a916 04140f1b8a1ca2c5c5b3c0c5c7c6f3d5e2b0b1c2d3e4 aa16 0414f54172bdf98a95d65cbeb88a38a1c11d800a85c3'.replace(/ /g, ''), 'hex'));
    const expected = toHex(der);
    const handed = EUICCInfo1.decode(der, { handOver: true });
    const copied = EUICCInfo1.decode(der);
    expect(derOf(handed).buffer).toBe(der.buffer);
    expect(derOf(copied).buffer).not.toBe(der.buffer);
    der[der.length - 1] = 0;
    expect(toHex(derOf(copied))).toBe(expected);
    expect(toHex(derOf(handed))).not.toBe(expected);
  });

  it('still refuses what is not a byte array or is too large', () => {
    expect(() => Certificate.decode('30' as unknown as Uint8Array, { handOver: true })).toThrow(/not a byte array/);
    expect(() => Certificate.decode(new Uint8Array(10), { handOver: true, maxLength: 5 })).toThrow(/exceed the 5-byte limit/);
  });
});
