// decodeBase64 (a round trip through node's base64 decoder and encoder for canonical text, then a look-up per
// character for other plain base64) against the regular-expression reading it replaced, on random text: valid base64 of random bytes with or without padding, with whitespace put in, with a character
// changed, and strings over the alphabet, `=`, whitespace and other characters. Both give the same bytes, or
// both refuse with InvalidField.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidField } from '../errors/index.js';
import { decodeBase64 } from './codecs.js';

/** The implementation before the one-pass reading, kept as the reference. */
function referenceDecodeBase64(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  const unpadded = compact.replace(/=+$/, '');
  const validLength = compact.length === unpadded.length ? unpadded.length % 4 !== 1 : compact.length % 4 === 0;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || !validLength) throw new InvalidField('x', 'not valid base64');
  return new Uint8Array(Buffer.from(unpadded, 'base64'));
}

function outcome(decode: (text: string) => Uint8Array, text: string): string {
  try {
    return `bytes ${Buffer.from(decode(text)).toString('hex')}`;
  } catch (error) {
    if (error instanceof InvalidField) return 'InvalidField';
    throw error;
  }
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const validBase64 = fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const mutated = fc.tuple(validBase64, fc.nat(), fc.constantFrom('=', '-', '_', ' ', '\n', '\u00a0', '*', 'A', '==', '\t'), fc.nat(3)).map(
  ([text, at, insert, how]) => {
    const i = text.length === 0 ? 0 : at % (text.length + 1);
    if (how === 0) return text.slice(0, i) + insert + text.slice(i);
    if (how === 1) return text.slice(0, i) + insert + text.slice(i + 1);
    if (how === 2) return text.replace(/=+$/, '');
    return text.slice(0, i);
  },
);
const soup = fc.array(fc.constantFrom(...alphabet, '=', ' ', '\r\n', '\t', '\u2028', '-', '.', 'é'), { maxLength: 30 }).map((chars) => chars.join(''));

describe('decodeBase64 against the reading it replaced', () => {
  it('gives the same bytes or the same refusal', () => {
    fc.assert(
      fc.property(fc.oneof(validBase64, mutated, soup), (text) => {
        expect(outcome((t) => decodeBase64(t, 'x'), text)).toBe(outcome(referenceDecodeBase64, text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('returns an array of its own, not a view of a shared pool', () => {
    const bytes = decodeBase64('AQID', 'x');
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(3);
  });
});
