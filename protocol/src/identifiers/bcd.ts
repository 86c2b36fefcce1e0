// The two BCD digit orders identifiers travel in. Plain: first digit in the high nibble (the EID of
// SGP.22 GetEID, the TAC of DeviceInfo). Swapped: first digit in the low nibble, 'F' filler at the end
// (EF.ICCID per ETSI TS 102 221 §13.2, and the TBCD of 3GPP TS 29.002 used for the IMEI).

/** Decimal digits → plain BCD; the caller has checked that there is an even number of digits. */
export function plainBcd(digits: string): Uint8Array {
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Plain BCD → its nibbles as lower-case hex characters (digits when the BCD is well formed). */
export function plainBcdNibbles(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decimal digits → `length` bytes of swapped BCD, 'F'-filled after the last digit. */
export function swappedBcd(digits: string, length: number): Uint8Array {
  const padded = digits.padEnd(2 * length, 'f');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) out[i] = Number.parseInt(`${padded[2 * i + 1] ?? 'f'}${padded[2 * i] ?? 'f'}`, 16);
  return out;
}

/** Swapped BCD → its nibbles in digit order as lower-case hex, trailing 'f' filler dropped. */
export function swappedBcdNibbles(bytes: Uint8Array): string {
  let nibbles = '';
  for (const byte of bytes) nibbles += `${(byte & 0x0f).toString(16)}${(byte >> 4).toString(16)}`;
  return nibbles.replace(/f+$/, '');
}
