// The primitives' fast paths against the readings they replaced (reference/primitives.ts): big INTEGERs
// through one hex conversion instead of a BigInt operation per octet, short strings read in place instead
// of through a view, code points counted without spreading, and SET OF elements sorted in the writer's
// buffer instead of each encoded into a writer of its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterCount, decodeIntegerAt, decodeOidAt, decodeStringAt, encodeInteger, encodeString } from '../../src/asn1/runtime/primitives.js';
import type { StringKind } from '../../src/asn1/runtime/schema.js';
import { compareOctets, ReverseWriter } from '../../src/asn1/runtime/writer.js';
import * as reference from './reference/primitives.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The value or the error message, to compare two readings' outcomes. */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const KINDS: readonly StringKind[] = ['UTF8String', 'PrintableString', 'IA5String', 'VisibleString', 'NumericString', 'BMPString', 'UniversalString', 'TeletexString'];

describe('primitive fast paths against the replaced readings', () => {
  it('encodeInteger of a bigint: the same minimal two complement, around every octet boundary and far beyond', () => {
    const edges = [0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, 2n ** 63n, -(2n ** 63n), 2n ** 64n - 1n, -(2n ** 64n) + 1n];
    for (const n of edges) expect(hex(encodeInteger(n))).toBe(hex(reference.encodeInteger(n)));
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(2n ** 520n), max: 2n ** 520n }), fc.integer({ min: 1, max: 520 }).chain((bits) => fc.constantFrom(2n ** BigInt(bits), -(2n ** BigInt(bits)), 2n ** BigInt(bits) - 1n, -(2n ** BigInt(bits)) - 1n))), (n) => {
        expect(hex(encodeInteger(n))).toBe(hex(reference.encodeInteger(n)));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeIntegerAt: the same value or error for any octets at any offset, big or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(5), fc.nat(5), fc.boolean(), (bytes, before, after, big) => {
        const padded = new Uint8Array(before + bytes.length + after).fill(0xa5);
        padded.set(bytes, before);
        expect(outcome(() => decodeIntegerAt(padded, before, before + bytes.length, big))).toEqual(outcome(() => reference.decodeInteger(bytes, big)));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodeStringAt: the same text or error for any octets of every kind at any offset', () => {
    const octets = fc.oneof(fc.uint8Array({ maxLength: 90 }), fc.string({ unit: 'binary', maxLength: 40 }).map((text) => new TextEncoder().encode(text)));
    fc.assert(
      fc.property(octets, fc.constantFrom<StringKind | 'time'>(...KINDS, 'time'), fc.nat(4), (bytes, kind, before) => {
        const padded = new Uint8Array(before + bytes.length + 3).fill(0xc3);
        padded.set(bytes, before);
        expect(outcome(() => decodeStringAt(kind, padded, before, before + bytes.length))).toEqual(outcome(() => reference.decodeString(kind, bytes)));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodeOidAt: the same dotted text or error as the BigInt reading, at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), fc.nat(4), (bytes, before) => {
        const padded = new Uint8Array(before + bytes.length + 2).fill(0x81);
        padded.set(bytes, before);
        expect(outcome(() => decodeOidAt(padded, before, before + bytes.length))).toEqual(outcome(() => reference.decodeOid(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('characterCount: code points as spreading counts them, lone surrogates included', () => {
    const units = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), fc.constantFrom('\ud800', '\udc00', '\ud83d\ude00')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(units, fc.string({ unit: 'binary' })), fc.constantFrom(...KINDS), (text, kind) => {
        expect(characterCount(kind, text)).toBe(reference.characterCount(kind, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('octets: a string written one octet per character is what encodeString gives, wherever it applies', () => {
    const texts = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0x1ff }).map((code) => String.fromCharCode(code)) }));
    fc.assert(
      fc.property(texts, fc.constantFrom(...KINDS, 'time' as const), (text, kind) => {
        const max = kind === 'UTF8String' ? 0x7f : kind === 'BMPString' || kind === 'UniversalString' ? -1 : 0xff;
        const writer = new ReverseWriter(2);
        if (writer.octets(text, max)) expect(hex(writer.result())).toBe(hex(encodeString(kind, text)));
        else expect(writer.size).toBe(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('sortRuns: runs written one after the other come out as sorting them apart gives, whatever was before them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 8 }), fc.uint8Array({ maxLength: 5 }), (tail, runs, head) => {
        const writer = new ReverseWriter(4); // small: the buffer grows while the runs are written
        writer.bytes(tail);
        const bounds = [writer.size];
        for (const run of runs) {
          writer.bytes(run);
          bounds.push(writer.size);
        }
        writer.sortRuns(bounds);
        writer.bytes(head);
        const sorted = [...runs].sort(compareOctets);
        expect(hex(writer.result())).toBe(hex(Uint8Array.from([...head, ...sorted.flatMap((run) => [...run]), ...tail])));
      }),
      { numRuns: 2000 },
    );
  });
});
