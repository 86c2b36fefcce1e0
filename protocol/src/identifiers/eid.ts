// The EID: 32 decimal digits whose last two are check digits chosen so that the whole number is 1 modulo 97
// (GSMA SGP.29, the ISO/IEC 7064 MOD 97-10 scheme IBANs use). On the card and in the BSP key derivation it
// is 16 bytes of plain BCD (SGP.22 ES10c.GetEID `eidValue Octet16`, §5.7.20).
import type { RandomSource } from '../ports.js';
import { plainBcd, plainBcdNibbles } from './bcd.js';
import { InvalidIdentifier } from './errors.js';

/** An EID of 32 digits with valid check digits, made by {@link eidDigits}. */
export type EidDigits = string & { readonly __brand: 'EidDigits' };

const EID_FORM = /^\d{32}$/;

function mod97(digits: string): number {
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}

/** True when `text` has the form of an EID (32 decimal digits), whether or not its check digits hold. */
export function hasEidForm(text: string): boolean {
  return EID_FORM.test(text);
}

/**
 * True when `text` is 32 digits with valid check digits.
 * @example isValidEid('89049032123451234512345678901235') // true (the SGP.26 test eUICC)
 */
export function isValidEid(text: string): boolean {
  return EID_FORM.test(text) && mod97(text) === 1;
}

/** Validates an EID given as digits; fails with an {@link InvalidIdentifier} naming `field`. */
export function eidDigits(text: string, field = 'eid'): EidDigits {
  if (!EID_FORM.test(text)) throw new InvalidIdentifier(field, 'must be 32 decimal digits');
  if (mod97(text) !== 1) throw new InvalidIdentifier(field, 'check digits are wrong');
  return text as EidDigits;
}

/**
 * The EID made of 30 leading digits and the two check digits that make it valid.
 * @example eidWithCheckDigits('890490321234512345123456789012') // '89049032123451234512345678901235'
 */
export function eidWithCheckDigits(first30: string, field = 'eid'): EidDigits {
  if (!/^\d{30}$/.test(first30)) throw new InvalidIdentifier(field, 'an EID body must be 30 decimal digits');
  const check = 98 - mod97(`${first30}00`);
  return `${first30}${String(check).padStart(2, '0')}` as EidDigits;
}

/**
 * A new EID under `prefix` (an EUM's EIN or longer EID prefix, SGP.22 §4.5.2.1 permitted EINs): the prefix,
 * random digits up to 30, then the check digits. Each digit comes from one random byte below 250, so every
 * digit is equally likely.
 * @example eidUnderPrefix('89001012', random) // '89001012' + 22 random digits + 2 check digits
 */
export function eidUnderPrefix(prefix: string, random: RandomSource, field = 'eid'): EidDigits {
  if (!/^\d{2,29}$/.test(prefix)) throw new InvalidIdentifier(field, 'an EID prefix must be 2 to 29 decimal digits');
  let digits = prefix;
  while (digits.length < 30) {
    for (const byte of random.bytes(30 - digits.length)) {
      if (byte < 250 && digits.length < 30) digits += String(byte % 10);
    }
  }
  return eidWithCheckDigits(digits, field);
}

/** A valid EID as its 16 bytes of plain BCD; digits are validated first. */
export function eidToBytes(eid: string, field = 'eid'): Uint8Array {
  return plainBcd(eidDigits(eid, field));
}

/**
 * The digits 16 bytes of EID carry, as read, for display; check digits are not verified (a stored or
 * received EID is shown as it is, even when wrong). Validate with {@link eidDigits} where it matters.
 */
export function eidToDigits(bytes: Uint8Array): string {
  return plainBcdNibbles(bytes);
}
