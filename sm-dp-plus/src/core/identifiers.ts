// Branded identifiers with one validating constructor each. ES2+ carries these as digit strings
// (SGP.22 §5.3, §6.5.2); the ASN.1 side converts them to bytes at the codec boundary.

export type IccidDigits = string & { readonly __brand: 'IccidDigits' };
export type EidDigits = string & { readonly __brand: 'EidDigits' };
export type MatchingId = string & { readonly __brand: 'MatchingId' };
export type ImeiDigits = string & { readonly __brand: 'ImeiDigits' };

/** Raised when an identifier handed to the SM-DP+ is malformed; names the field. */
export class InvalidIdentifier extends Error {
  override readonly name = 'InvalidIdentifier';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** ICCID as 18 to 20 digits (ITU-T E.118); a trailing F filler from the BCD form is dropped. */
export function iccidDigits(value: string, field = 'iccid'): IccidDigits {
  const digits = value.replace(/[fF]$/, '');
  if (!/^\d{18,20}$/.test(digits)) throw new InvalidIdentifier(field, 'must be 18 to 20 decimal digits');
  return digits as IccidDigits;
}

/** EID as 32 decimal digits whose value mod 97 is 1 (SGP.29 check digits). */
export function eidDigits(value: string, field = 'eid'): EidDigits {
  if (!/^\d{32}$/.test(value)) throw new InvalidIdentifier(field, 'must be 32 decimal digits');
  if (BigInt(value) % 97n !== 1n) throw new InvalidIdentifier(field, 'check digits are wrong');
  return value as EidDigits;
}

/**
 * MatchingID (AC_Token / EventID). SGP.22 §4.1: printable, and `$` is the activation code delimiter.
 * SPEC-AMBIGUITY: no length is given in v2; we accept 1..64 characters of [A-Za-z0-9-._], which covers
 * the forms operators use and keeps the value safe inside an activation code and a log line.
 */
export function matchingId(value: string, field = 'matchingId'): MatchingId {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new InvalidIdentifier(field, 'must be 1 to 64 characters of A-Z, a-z, 0-9, "-", "." or "_"');
  }
  return value as MatchingId;
}

/** IMEI as 15 digits (or 16 for IMEISV); the check digit is not verified because devices send IMEISV too. */
export function imeiDigits(value: string, field = 'imei'): ImeiDigits {
  if (!/^\d{15,16}$/.test(value)) throw new InvalidIdentifier(field, 'must be 15 or 16 decimal digits');
  return value as ImeiDigits;
}

/** ICCID digits → the 10-byte EF.ICCID form (nibbles swapped per byte, F filler), SGP.22 §5.7 Iccid. */
export function iccidToBytes(iccid: IccidDigits): Uint8Array {
  const padded = iccid.padEnd(20, 'F');
  const bytes = new Uint8Array(10);
  for (let i = 0; i < 10; i += 1) {
    bytes[i] = Number.parseInt(`${padded[2 * i + 1]}${padded[2 * i]}`, 16);
  }
  return bytes;
}

/** The 10-byte EF.ICCID form → digits. */
export function iccidFromBytes(bytes: Uint8Array): IccidDigits {
  let digits = '';
  for (const byte of bytes) digits += `${(byte & 0x0f).toString(16)}${(byte >> 4).toString(16)}`;
  return iccidDigits(digits.replace(/f+$/i, ''));
}

/** EID digits → 16 bytes of plain BCD (SGP.22 §5.7.20, no nibble swap). */
export function eidToBytes(eid: EidDigits): Uint8Array {
  return Uint8Array.from(Buffer.from(eid, 'hex'));
}

/** The first 8 digits of an EID, for logs: enough to tell EUMs apart, not enough to identify a card. */
export function redactEid(eid: string): string {
  return `${eid.slice(0, 8)}…`;
}
