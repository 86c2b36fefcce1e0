// Value codecs of the JSON binding (SGP.22 §6.5, RFC 4648 §4): standard base64 with padding for bytes, lenient on
// whitespace; TransactionId as hex, rendered upper case, accepted in any case.
import { InvalidField } from '../errors/index.js';
import type { StatusCode } from '../errors/index.js';

const base64Alphabet = /^[A-Za-z0-9+/]*={0,2}$/;
const hexDigits = /^[0-9A-Fa-f]*$/;

/**
 * Decodes standard base64 after removing whitespace and line breaks (some senders wrap long values). Missing
 * padding is accepted; any other character, a misplaced `=` or an impossible length is an InvalidField.
 */
export function decodeBase64(text: string, field: string, code?: StatusCode): Uint8Array {
  const length = text.length;
  let end = length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end -= 1;
  if (length - end <= 2) {
    // What every sender writes: the canonical encoding, padded or not. Node's native decoder and encoder check it
    // in one round trip (an encoding is of the alphabet, `=` only at its end, and of a valid length), three times
    // the speed of a look-up per character in JavaScript. Anything else is decided by the readings below.
    const bytes = decodedBytes(text, end);
    const canonical = Buffer.from(bytes.buffer, 0, bytes.length).toString('base64');
    if (canonical === text || (end === length && canonical.length - length <= 2 && canonical.startsWith(text))) return bytes;
    // One pass over the text: the alphabet up to the padding (a table look-up per character), at most two `=` at
    // the end (another encoding of the same bytes: non-zero bits after the last byte, or padding that is not).
    if (isPlainBase64(text, end)) {
      if (end === length ? end % 4 === 1 : length % 4 !== 0) throw new InvalidField(field, 'not valid base64', code);
      return bytes;
    }
  }
  // Text with whitespace (or anything else) takes the general reading, which decides on it.
  const compact = text.replace(/\s+/g, '');
  const unpadded = compact.replace(/=+$/, '');
  const validLength = compact.length === unpadded.length ? unpadded.length % 4 !== 1 : compact.length % 4 === 0;
  if (!base64Alphabet.test(compact) || !validLength) {
    throw new InvalidField(field, 'not valid base64', code);
  }
  return decodedBytes(unpadded, unpadded.length);
}

/** 1 for the characters of RFC 4648 §4's alphabet (A-Z, a-z, 0-9, `+`, `/`), 0 for every other code below 128. */
const base64Characters = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') base64Characters[c.charCodeAt(0)] = 1;

/** True when `text`'s first `end` characters are all of the alphabet (about five times the speed of range compares). */
function isPlainBase64(text: string, end: number): boolean {
  for (let i = 0; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c > 0x7f || base64Characters[c] === 0) return false;
  }
  return true;
}

/**
 * The bytes of `text`'s first `symbols` base64 characters (checked), decoded straight into an array of their own.
 * Node's decoder stops at the padding, so a padded text is passed whole (no copy without its `=`).
 */
function decodedBytes(text: string, symbols: number): Uint8Array {
  const bytes = new Uint8Array(Math.floor((symbols * 3) / 4));
  if (bytes.length > 0) Buffer.from(bytes.buffer, 0, bytes.length).write(text, 0, 'base64');
  return bytes;
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  // A view, not a copy (Buffer.from of a Uint8Array copies it: a Bound Profile Package's 14 kB per download).
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes a TransactionId: hex, 1..16 bytes (SGP.22 §5.6.1: TransactionId ::= OCTET STRING (SIZE(1..16))). */
export function decodeTransactionId(text: string, field = 'transactionId', code?: StatusCode): Uint8Array {
  if (!hexDigits.test(text) || text.length % 2 !== 0 || text.length < 2 || text.length > 32) {
    throw new InvalidField(field, 'expected 2 to 32 hex digits (1 to 16 bytes)', code);
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Upper-case hex of a TransactionId. */
export function encodeTransactionId(transactionId: Uint8Array): string {
  return Buffer.from(transactionId).toString('hex').toUpperCase();
}

/** True when two TransactionIds are the same bytes (hex case never matters once decoded). */
export function sameTransactionId(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
