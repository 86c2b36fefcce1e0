// The codec compiled per type (runtime/decode.ts, runtime/encode.ts) against the interpreting reference
// it replaced (reference/): the same bytes, the same decoded values (fields, classes, derOf, kept
// extensions) and the same errors (class, reason, offset, message, encode path) for the TS.48 profiles,
// random typed values of SAIP, SGP.22 and PKIX types, wrong values inside them, and malformed DER.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuthenticateServerResponse, BoundProfilePackage, Certificate, EUICCInfo2, GetEuiccChallengeResponse, NotificationMetadata, ProfileElement,
  ProfileInstallationResult, RetrieveNotificationsListResponse, StoreMetadataRequest, splitTlvs, type Codec,
} from '../../src/index.js';
import { decodeOutcome, encodeOutcome, referenceDecode, referenceEncode, valueOf } from './reference/harness.js';
import { TS48_PROFILES, hex, sharedFile, toHex } from '../support.js';
import { mutate, mutations } from './mutations.js';

const codecs: Array<[string, Codec<unknown>]> = [
  ['ProfileElement', ProfileElement as Codec<unknown>],
  ['BoundProfilePackage', BoundProfilePackage as Codec<unknown>],
  ['AuthenticateServerResponse', AuthenticateServerResponse as Codec<unknown>],
  ['EUICCInfo2', EUICCInfo2 as Codec<unknown>],
  ['ProfileInstallationResult', ProfileInstallationResult as Codec<unknown>],
  ['RetrieveNotificationsListResponse', RetrieveNotificationsListResponse as Codec<unknown>],
  ['StoreMetadataRequest', StoreMetadataRequest as Codec<unknown>],
  ['Certificate', Certificate as Codec<unknown>],
];

const profileElements = TS48_PROFILES.flatMap((file) => splitTlvs(sharedFile(`spec/upp/${file}`)).map((tlv) => tlv.tlv));

function sameDecode(codec: Codec<unknown>, bytes: Uint8Array, options?: { maxDepth?: number; maxLength?: number }): void {
  expect(decodeOutcome(() => codec.decode(bytes, options))).toEqual(decodeOutcome(() => referenceDecode(codec, bytes, options)));
}

function sameEncode(codec: Codec<unknown>, value: unknown): void {
  expect(encodeOutcome(() => codec.encode(value))).toEqual(encodeOutcome(() => referenceEncode(codec, value)));
}

describe('compiled codec against the reference, TS.48 profiles', () => {
  it('decodes every profile element to the same value and re-encodes it byte for byte', () => {
    expect(profileElements.length).toBeGreaterThan(100);
    for (const tlv of profileElements) {
      sameDecode(ProfileElement as Codec<unknown>, tlv);
      const value = ProfileElement.decode(tlv);
      expect(toHex(ProfileElement.encode(value))).toBe(toHex(tlv));
      expect(toHex(referenceEncode(ProfileElement as Codec<unknown>, value))).toBe(toHex(tlv));
    }
  });

  it('decodes a Buffer, a view into a larger array and a plain copy alike', () => {
    const tlv = profileElements.find((element) => element.length > 200)!;
    const padded = new Uint8Array(tlv.length + 10);
    padded.set(tlv, 5);
    for (const input of [Buffer.from(tlv), padded.subarray(5, 5 + tlv.length), tlv.slice()]) sameDecode(ProfileElement as Codec<unknown>, input);
  });

  it('gives the same error as the reference for mutated profile elements, at any depth limit', () => {
    fc.assert(
      fc.property(fc.nat(profileElements.length - 1), mutations, fc.integer({ min: 1, max: 12 }), (index, changes, maxDepth) => {
        const input = mutate(profileElements[index]!, changes);
        sameDecode(ProfileElement as Codec<unknown>, input);
        sameDecode(ProfileElement as Codec<unknown>, input, { maxDepth });
      }),
      { numRuns: 3000, seed: 0x19 },
    );
  });
});

describe.each(codecs)('compiled codec against the reference, random %s values', (_name, codec) => {
  it('encodes valid values to the same bytes, which both decode to the same value', () => {
    fc.assert(
      fc.property(valueOf(codec.schema), (value) => {
        sameEncode(codec, value);
        const bytes = codec.encode(value);
        sameDecode(codec, bytes);
        expect(toHex(codec.encode(codec.decode(bytes)))).toBe(toHex(bytes));
      }),
      { numRuns: 300, seed: 0x5a1f },
    );
  });

  it('fails on wrong values inside a value with the same error and path', () => {
    fc.assert(fc.property(valueOf(codec.schema, { junkWeight: 3 }), (value) => sameEncode(codec, value)), { numRuns: 300, seed: 0x5a20 });
  });

  it('decodes mutated encodings to the same value or the same error', () => {
    fc.assert(
      fc.property(valueOf(codec.schema), mutations, (value, changes) => sameDecode(codec, mutate(codec.encode(value), changes))),
      { numRuns: 300, seed: 0x5a21 },
    );
  });
});

describe('malformed DER: the error kinds of the reference', () => {
  const challenge = 'bf2e12 8010 000102030405060708090a0b0c0d0e0f';
  const cases: Array<[string, Codec<unknown>, string, string]> = [
    ['truncated', GetEuiccChallengeResponse as Codec<unknown>, challenge.slice(0, -4), 'length-overflow'],
    ['truncated inside a header', ProfileElement as Codec<unknown>, 'a0', 'truncated'],
    ['wrong tag', GetEuiccChallengeResponse as Codec<unknown>, 'bf2f00', 'wrong-tag'],
    ['wrong inner tag', GetEuiccChallengeResponse as Codec<unknown>, 'bf2e12 8110 000102030405060708090a0b0c0d0e0f', 'missing-field'],
    ['overlong length field', GetEuiccChallengeResponse as Codec<unknown>, 'bf2e850000000012', 'length-overflow'],
    ['inner length past the end', NotificationMetadata as Codec<unknown>, 'bf2f0c 800101 81090780 0c03616263', 'length-overflow'],
    ['primitive for constructed', GetEuiccChallengeResponse as Codec<unknown>, '9f2e00', 'invalid-value'],
    ['constructed OCTET STRING', GetEuiccChallengeResponse as Codec<unknown>, 'bf2e12 a010 000102030405060708090a0b0c0d0e0f', 'invalid-value'],
    ['trailing bytes', GetEuiccChallengeResponse as Codec<unknown>, `${challenge}00`, 'trailing-bytes'],
    ['indefinite length', GetEuiccChallengeResponse as Codec<unknown>, 'bf2e80 8010000102030405060708090a0b0c0d0e0f 0000', 'indefinite-length'],
  ];

  it.each(cases)('%s', (_name, codec, input, reason) => {
    const bytes = hex(input);
    sameDecode(codec, bytes);
    expect(decodeOutcome(() => codec.decode(bytes))).toMatchObject({ reason });
  });

  it('the largest TS.48 profile element cut anywhere gives the same error as the reference', () => {
    const element = profileElements.reduce((a, b) => (b.length > a.length ? b : a));
    expect(element.length).toBeGreaterThan(1000);
    for (let end = 0; end < element.length; end++) sameDecode(ProfileElement as Codec<unknown>, element.subarray(0, end));
  });
});
