import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeTransactionId, encodeBase64, encodeTransactionId, sameTransactionId } from './codecs.js';
import { Codes, InvalidField } from '../errors/index.js';

describe('base64 of the JSON binding (SGP.22 §6.5, RFC 4648 §4)', () => {
  it('decodes standard base64 and tolerates whitespace and line breaks', () => {
    expect(Buffer.from(decodeBase64('vyAL\r\n ggMCAgKp\tAwQBAA==', 'euiccInfo1')).toString('hex')).toBe('bf200b8203020202a903040100');
    expect(decodeBase64('', 'x')).toHaveLength(0);
    expect(Buffer.from(decodeBase64('AQI', 'x')).toString('hex')).toBe('0102');
  });

  it('accepts an encoding that is not the canonical one of its bytes (bits after the last byte), as before', () => {
    expect(Buffer.from(decodeBase64('AB==', 'x')).toString('hex')).toBe('00');
    expect(Buffer.from(decodeBase64('AQJ', 'x')).toString('hex')).toBe('0102');
    expect(Buffer.from(decodeBase64('AQI=', 'x')).toString('hex')).toBe('0102');
  });

  it.each([
    ['URL-safe alphabet', 'ab-_'],
    ['a character outside the alphabet', 'AQ*B'],
    ['padding in the middle', 'AQ==AQ=='],
    ['an impossible length', 'AQIDB'],
    ['too much padding', 'AQ==='],
    ['a padded string of the wrong length', 'AQI=A=='],
  ])('rejects %s, naming the field', (_title, text) => {
    try {
      decodeBase64(text, 'serverSigned1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidField);
      const invalid = error as InvalidField;
      expect(invalid.subjectIdentifier).toBe('serverSigned1');
      expect(invalid.is(Codes.invalidRequestField)).toBe(true);
      expect(invalid.message).toContain('serverSigned1');
    }
  });

  it('encodes with padding', () => {
    expect(encodeBase64(Uint8Array.from([1]))).toBe('AQ==');
  });
});

describe('transactionId as hex (SGP.22 §6.5; servers differ in letter case)', () => {
  it('accepts any case, renders upper case, compares bytes', () => {
    const lower = decodeTransactionId('a1b2c3');
    const upper = decodeTransactionId('A1B2C3');
    expect(sameTransactionId(lower, upper)).toBe(true);
    expect(sameTransactionId(lower, decodeTransactionId('A1B2C4'))).toBe(false);
    expect(sameTransactionId(lower, decodeTransactionId('A1B2'))).toBe(false);
    expect(encodeTransactionId(lower)).toBe('A1B2C3');
  });

  it.each(['', 'ABC', 'GG', '00'.repeat(17), ' 0102'])('rejects %j', (text) => {
    expect(() => decodeTransactionId(text)).toThrow(InvalidField);
  });
});
