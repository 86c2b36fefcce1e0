// The encoder's fast paths give the bytes of the general ones: small INTEGERs without BigInt, OBJECT
// IDENTIFIERs from a cache, OCTET STRING DEFAULTs compared as bytes; and an error deep in a value still
// names the path to it (the path is now built while the error unwinds).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeInteger, encodeOid } from '../../src/asn1/runtime/primitives.js';
import { Asn1EncodeError, ProfileElement, splitTlvs, type ProfileElement as ProfileElementValue } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('encoder fast paths (bounded)', () => {
  it('encodeInteger of a number equals the BigInt encoding, around every octet boundary', () => {
    const edges = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 0x7fffff, 0x800000, -0x800000, -0x800001, 2 ** 31, -(2 ** 31)];
    for (const n of edges) expect(hex(encodeInteger(n))).toBe(hex(encodeInteger(BigInt(n))));
    fc.assert(fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (n) => hex(encodeInteger(n)) === hex(encodeInteger(BigInt(n)))), { numRuns: 500 });
  });

  it('encodeOid gives the same bytes from its cache, and a caller changing them changes nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 6 }), (a, b, rest) => {
        const oid = [a, b, ...rest].join('.');
        const first = encodeOid(oid);
        const expected = hex(first);
        first.fill(0xee);
        expect(hex(encodeOid(oid))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('re-encodes every element of the TS.48 profiles byte for byte', () => {
    const file = fileURLToPath(new URL('../../../../shared/spec/upp/TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der', import.meta.url));
    for (const tlv of splitTlvs(new Uint8Array(readFileSync(file)))) {
      expect(hex(ProfileElement.encode(ProfileElement.decode(tlv.tlv) as ProfileElementValue))).toBe(hex(tlv.tlv));
    }
  });

  it('names the path of a failure deep in a value', () => {
    const file = fileURLToPath(new URL('../../../../shared/spec/upp/TS48V1-A-UNIQUE.der', import.meta.url));
    const usim = splitTlvs(new Uint8Array(readFileSync(file))).map((tlv) => ProfileElement.decode(tlv.tlv)).find((element) => 'usim' in element);
    if (usim === undefined || !('usim' in usim)) throw new Error('no USIM element');
    const broken = { usim: { ...usim.usim, 'ef-imsi': [{ fillFileContent: 'not bytes' }] } } as unknown as ProfileElementValue;
    expect(() => ProfileElement.encode(broken)).toThrow(Asn1EncodeError);
    expect(() => ProfileElement.encode(broken)).toThrow(/^ProfileElement\.usim\.ef-imsi\[0\]\.fillFileContent: expected a Uint8Array$/);
    const missing = { usim: { ...usim.usim, 'usim-header': undefined } } as unknown as ProfileElementValue;
    expect(() => ProfileElement.encode(missing)).toThrow(/^ProfileElement\.usim\.usim-header: mandatory field is missing$/);
  });
});
