// Bad input gets a typed Asn1DecodeError naming the type, the reason and the byte offset; never a crash
// and never a partial value. Extension elements of a newer peer are kept and re-emitted.
import { describe, expect, it } from 'vitest';
import {
  Asn1DecodeError, Asn1EncodeError, bitStringFromNames, derOf, EUICCInfo1, GetEuiccChallengeResponse, namesInBitString,
  NotificationEvent, NotificationMetadata, ProfileElement, ProfileState, type Asn1DecodeReason, type Codec,
} from '../../src/index.js';
import { hex, toHex } from '../support.js';

function decodeError(codec: Codec<unknown>, input: string, options?: { maxLength?: number; maxDepth?: number }): Asn1DecodeError {
  try {
    codec.decode(hex(input), options);
  } catch (error) {
    expect(error).toBeInstanceOf(Asn1DecodeError);
    return error as Asn1DecodeError;
  }
  throw new Error('expected a decode error');
}

const challenge = 'bf2e12 8010 000102030405060708090a0b0c0d0e0f';

describe('DER decode errors', () => {
  const cases: Array<[string, Codec<unknown>, string, Asn1DecodeReason, number]> = [
    ['empty input', GetEuiccChallengeResponse, '', 'truncated', 0],
    ['truncated value', GetEuiccChallengeResponse, challenge.replace(/0e0f$/, ''), 'length-overflow', 2],
    ['wrong outer tag', GetEuiccChallengeResponse, 'bf2f00', 'wrong-tag', 0],
    ['length field of 5 octets', GetEuiccChallengeResponse, 'bf2e850000000010', 'length-overflow', 2],
    ['indefinite length', GetEuiccChallengeResponse, 'bf2e80 8010000102030405060708090a0b0c0d0e0f 0000', 'indefinite-length', 2],
    ['trailing bytes', GetEuiccChallengeResponse, `${challenge}00`, 'trailing-bytes', 21],
    ['size constraint (15-byte challenge)', GetEuiccChallengeResponse, 'bf2e11 800f 000102030405060708090a0b0c0d0e', 'constraint', 5],
    ['missing mandatory field', GetEuiccChallengeResponse, 'bf2e00', 'missing-field', 3],
    ['primitive where constructed is required', GetEuiccChallengeResponse, '9f2e00', 'invalid-value', 0],
    ['tag number with a leading zero octet', GetEuiccChallengeResponse, 'bf802e00', 'invalid-value', 1],
  ];

  it.each(cases)('%s', (_name, codec, input, reason, offset) => {
    const error = decodeError(codec, input.replace(/\s+/g, ''));
    expect(error.reason).toBe(reason);
    expect(error.offset).toBe(offset);
    expect(error.typeName).toBe(codec.typeName);
    expect(error.message).toContain(codec.typeName);
  });

  it('refuses input larger than the configured maximum before parsing it', () => {
    const error = decodeError(GetEuiccChallengeResponse, challenge.replace(/\s+/g, ''), { maxLength: 10 });
    expect(error.reason).toBe('too-large');
  });

  it('refuses nesting deeper than the configured limit', () => {
    // ProfileElement → PE-MF → File → CHOICE … nested SEQUENCEs: limit the depth to 2.
    const mf = 'b00d a0058000810101 8103672e01 a100';
    const error = decodeError(ProfileElement, mf.replace(/\s+/g, ''), { maxDepth: 2 });
    expect(error.reason).toBe('too-deep');
  });

  it('refuses an invalid UTF-8 string', () => {
    const error = decodeError(NotificationMetadata, 'bf2f0c 800101 81020780 0c03ff6263'.replace(/\s+/g, ''));
    expect(error.reason).toBe('invalid-value');
    expect(error.offset).toBe(12);
  });
});

describe('DER encode errors', () => {
  it('names the field that breaks a constraint', () => {
    expect(() => GetEuiccChallengeResponse.encode({ euiccChallenge: new Uint8Array(3) })).toThrow(Asn1EncodeError);
    expect(() => GetEuiccChallengeResponse.encode({ euiccChallenge: new Uint8Array(3) })).toThrow(/euiccChallenge/);
    expect(() => EUICCInfo1.encode({ svn: hex('020200') } as never)).toThrow(/euiccCiPKIdListForVerification/);
  });
});

describe('values', () => {
  it('keeps unknown extension elements of a newer peer and re-emits them (EXTENSIBILITY IMPLIED)', () => {
    const newer = 'bf2e19 8010 000102030405060708090a0b0c0d0e0f 9f7f02abcd 8100'.replace(/\s+/g, '');
    const decoded = GetEuiccChallengeResponse.decode(hex(newer));
    expect(toHex(GetEuiccChallengeResponse.encode(decoded))).toBe(newer);
  });

  it('decodes from its own copy: changing the input afterwards changes no decoded value, Buffer or not', () => {
    const der = 'bf2f0c 800101 81020780 0c03616263'.replace(/\s+/g, '');
    const challenge = 'bf2e12 8010 000102030405060708090a0b0c0d0e0f'.replace(/\s+/g, '');
    for (const input of [hex(der), Buffer.from(der, 'hex')]) {
      const metadata = NotificationMetadata.decode(input);
      input.fill(0);
      expect(toHex(derOf(metadata))).toBe(der);
    }
    for (const input of [hex(challenge), Buffer.from(challenge, 'hex')]) {
      const decoded = GetEuiccChallengeResponse.decode(input);
      input.fill(0);
      expect(toHex(decoded.euiccChallenge)).toBe('000102030405060708090a0b0c0d0e0f');
    }
  });

  it('exposes the exact received bytes of signed structures', () => {
    const metadata = NotificationMetadata.decode(hex('bf2f0c 800101 81020780 0c03616263'.replace(/\s+/g, '')));
    expect(toHex(derOf(metadata))).toBe('bf2f0c80010181020780 0c03616263'.replace(/\s+/g, ''));
    expect(() => derOf({})).toThrow(TypeError);
  });

  it('encodes named bit strings DER-minimal (X.690 §11.2.2)', () => {
    expect(toHex(bitStringFromNames(NotificationEvent, ['notificationDelete']).bytes)).toBe('10');
    const padded = { bytes: hex('1000'), unusedBits: 0 };
    const metadata = { seqNumber: 0n, profileManagementOperation: padded, notificationAddress: 'a' };
    expect(toHex(NotificationMetadata.encode(metadata))).toBe('bf2f0a 800100 81020410 0c0161'.replace(/\s+/g, ''));
    expect(namesInBitString(NotificationEvent, NotificationMetadata.decode(NotificationMetadata.encode(metadata)).profileManagementOperation)).toEqual([
      'notificationDelete',
    ]);
  });

  it('exposes named numbers on the codec', () => {
    expect(ProfileState.named.enabled).toBe(1);
  });
});
