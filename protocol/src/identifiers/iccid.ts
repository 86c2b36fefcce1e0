// The ICCID (ITU-T E.118: 18 to 20 digits, the last a Luhn check digit). SGP.22 carries it as
// `Iccid ::= [APPLICATION 26] OCTET STRING (SIZE(10))`, "ICCID as coded in EFiccid": ETSI TS 102 221 §13.2
// BCD with the two digits of each byte swapped and 'F' filler. ES2+ carries plain digits (SGP.22 §5.3).
import { plainBcd, plainBcdNibbles, swappedBcd, swappedBcdNibbles } from './bcd.js';
import { InvalidIdentifier } from './errors.js';
import { luhnCheckDigit } from './luhn.js';

/** An ICCID of 18 to 20 digits, made by {@link iccidDigits}. */
export type IccidDigits = string & { readonly __brand: 'IccidDigits' };

/** Bytes of an Iccid / EF.ICCID. */
export const ICCID_LENGTH = 10;

/**
 * Validates an ICCID given as digits (a trailing 'F' filler left from the BCD form is dropped); fails with
 * an {@link InvalidIdentifier} naming `field`. The check digit is not verified: operators' test ranges and
 * SAIP test profiles do not all carry a valid one.
 */
export function iccidDigits(text: string, field = 'iccid'): IccidDigits {
  const digits = text.replace(/[fF]$/, '');
  if (!/^\d{18,20}$/.test(digits)) throw new InvalidIdentifier(field, 'must be 18 to 20 decimal digits');
  return digits as IccidDigits;
}

/**
 * An ICCID's 10 bytes as coded in EF.ICCID.
 * @example iccidToBytes('8944476500001224158') // 98 44 74 56 00 00 21 14 85 F1
 */
export function iccidToBytes(iccid: string, field = 'iccid'): Uint8Array {
  return swappedBcd(iccidDigits(iccid, field), ICCID_LENGTH);
}

/** The ICCID in EF.ICCID bytes, validated; fails with an {@link InvalidIdentifier} naming `field`. */
export function iccidFromBytes(bytes: Uint8Array, field = 'iccid'): IccidDigits {
  if (bytes.length !== ICCID_LENGTH) throw new InvalidIdentifier(field, `must be ${ICCID_LENGTH} bytes`);
  return iccidDigits(swappedBcdNibbles(bytes), field);
}

/**
 * The digits EF.ICCID bytes carry, as read, for display (what a card or a peer sent, not validated).
 * @example iccidToDigits(iccidToBytes('89444765000012241580')) // '89444765000012241580'
 */
export function iccidToDigits(bytes: Uint8Array): string {
  return swappedBcdNibbles(bytes);
}

/**
 * The ICCID of a SAIP ProfileHeader, in either digit order.
 * SPEC-AMBIGUITY: the header's `iccid` is an Iccid, so EF.ICCID order; the public SAIP test profiles
 * (GSMA TS.48 packages as distributed with pySim) store it in plain digit order instead. Plain order is
 * taken when it reads as an ICCID of the telecom industry (major industry identifier 89, ITU-T E.118),
 * otherwise the bytes are read in EF.ICCID order.
 */
export function iccidFromProfileHeader(bytes: Uint8Array, field = 'iccid'): IccidDigits {
  const plain = plainBcdNibbles(bytes).replace(/f+$/i, '');
  if (bytes.length === ICCID_LENGTH && /^89\d{16,18}$/.test(plain)) return plain as IccidDigits;
  return iccidFromBytes(bytes, field);
}

/**
 * A ProfileHeader `iccid` as the GSMA TS.48 test profiles carry it and SM-DP+s following TS.48 write it:
 * the digits in plain order, first digit in the high nibble, 'F' filler at the end. SAIP v3.3.1 §8.1 does
 * not fix an order beyond OCTET STRING (SIZE (10)); {@link iccidFromProfileHeader} reads both.
 * @example iccidToProfileHeader('8949449999999990023') // 89 49 44 99 99 99 99 90 02 3F
 */
export function iccidToProfileHeader(iccid: string, field = 'iccid'): Uint8Array {
  return plainBcd(iccidDigits(iccid, field).padEnd(2 * ICCID_LENGTH, 'f'));
}

/**
 * True when a ProfileHeader `iccid` (either digit order) and an SGP.22 Iccid (EF.ICCID order, as in
 * StoreMetadata) name the same ICCID. The eUICC compares digits, not bytes, because the header's order
 * differs between SM-DP+s (see {@link iccidToProfileHeader}); malformed bytes match nothing.
 */
export function profileHeaderIccidMatches(header: Uint8Array, iccid: Uint8Array): boolean {
  try {
    return iccidFromProfileHeader(header) === iccidFromBytes(iccid);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return false;
    throw error;
  }
}

/**
 * `payload` (17 to 19 digits) with its Luhn check digit appended (ITU-T E.118).
 * @example iccidWithCheckDigit('894447650000122415') // '8944476500001224158'
 */
export function iccidWithCheckDigit(payload: string, field = 'iccid'): IccidDigits {
  if (!/^\d{17,19}$/.test(payload)) throw new InvalidIdentifier(field, 'an ICCID without its check digit must be 17 to 19 decimal digits');
  return iccidDigits(`${payload}${luhnCheckDigit(payload)}`, field);
}
