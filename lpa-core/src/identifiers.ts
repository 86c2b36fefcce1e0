// ICCID, ISD-P AID and EID as the user types them (digits, hex) ↔ their card coding: ICCID as in
// EF.ICCID (ASN.1 Iccid), BCD with the nibbles of each byte swapped and 'F' filler; EID plain BCD.
import { InvalidInput } from './errors.js';
import type { ProfileIdentifier } from './es10-client/es10c.js';

/** '8944476500001224158' → 98 44 74 56 00 00 21 14 85 F1 (ITU-T E.118, 18 to 20 digits). */
export function iccidFromDigits(digits: string): Uint8Array {
  if (!/^\d{18,20}$/.test(digits)) throw new InvalidInput('iccid', `expected 18 to 20 digits, got "${digits}"`);
  const padded = digits.padEnd(20, 'F');
  const out = new Uint8Array(10);
  for (let index = 0; index < 10; index += 1) out[index] = parseInt(`${padded[2 * index + 1]}${padded[2 * index]}`, 16);
  return out;
}

export function iccidToDigits(iccid: Uint8Array): string {
  let digits = '';
  for (const byte of iccid) digits += `${(byte & 0x0f).toString(16)}${(byte >> 4).toString(16)}`;
  return digits.replace(/f+$/i, '');
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/**
 * A profile named on the command line: an ICCID (18–20 digits) or an ISD-P AID (hex, 5 to 16 bytes,
 * e.g. A0000005591010FFFFFFFF8900001000). Digits only means ICCID.
 */
export function profileIdentifierOf(text: string): ProfileIdentifier {
  const value = text.trim();
  if (/^\d{18,20}$/.test(value)) return { iccid: iccidFromDigits(value) };
  if (/^(?:[0-9A-Fa-f]{2}){5,16}$/.test(value)) return { isdpAid: Uint8Array.from(Buffer.from(value, 'hex')) };
  throw new InvalidInput('profile', `"${text}" is neither an ICCID (18-20 digits) nor an ISD-P AID (10-32 hex digits)`);
}
