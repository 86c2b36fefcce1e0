// Byte helpers every package needs: comparison (plain, and constant-time for secrets and MACs),
// concatenation, and hex for logs, fixtures and the CLI edge (STYLE: bytes are Uint8Array inside the code).
import { timingSafeEqual } from 'node:crypto';

/** A hex string that is not whole bytes of 0-9 / a-f / A-F; `field` names what was being read. */
export class HexFormatError extends Error {
  override readonly name = 'HexFormatError';

  constructor(readonly field: string) {
    super(`${field}: expected an even number of hex digits`);
  }
}

/**
 * Byte-wise equality of public values (identifiers, certificates, AIDs). Returns at the first difference,
 * so do not use it for secrets or MACs: use {@link secretsEqual}.
 * @example bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)) // true
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Equality in time independent of where the values differ (OpenSSL's CRYPTO_memcmp via node:crypto), for
 * MACs, hashes of secrets and keys. Only the length is allowed to leak.
 * @example secretsEqual(receivedMac, expectedMac)
 */
export function secretsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The parts one after the other in a new array.
 * @example concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]) // 01 02 03
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Hex of the bytes, lower case unless asked (logs and status words read better in upper case).
 * @example toHex(Uint8Array.of(0xbf, 0x2e), 'upper') // 'BF2E'
 */
export function toHex(bytes: Uint8Array, letters: 'lower' | 'upper' = 'lower'): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return letters === 'upper' ? text.toUpperCase() : text;
}

/**
 * One byte (a CLA, INS, P1 or tag octet) as two upper-case hex digits, for messages.
 * @example hexByte(0xe2) // 'E2'
 */
export function hexByte(value: number): string {
  return (value & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

/** True when `text` is whole bytes of hex (either case; the empty string is zero bytes). */
export function isHex(text: string): boolean {
  return /^(?:[0-9a-fA-F]{2})*$/.test(text);
}

/**
 * The bytes `text` spells in hex; anything else fails with a {@link HexFormatError} naming `field`.
 * @example fromHex('BF2E00') // bf 2e 00
 */
export function fromHex(text: string, field = 'hex'): Uint8Array {
  if (!isHex(text)) throw new HexFormatError(field);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
