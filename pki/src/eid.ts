/**
 * EID check digits: the 32-digit EID read as a number is 1 modulo 97 (GSMA SGP.29 §2, the ISO 7064
 * MOD 97-10 scheme IBANs use). The SGP.26 test EID 89049032123451234512345678901235 satisfies it.
 */
function mod97(digits: string): number {
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}

/** True when `eid` is 32 digits with valid check digits. */
export function isValidEid(eid: string): boolean {
  return /^[0-9]{32}$/.test(eid) && mod97(eid) === 1;
}

/** The EID made of 30 leading digits plus their two check digits. */
export function eidWithCheckDigits(first30: string): string {
  if (!/^[0-9]{30}$/.test(first30)) throw new RangeError('an EID body must be 30 digits');
  const check = 98 - mod97(`${first30}00`);
  return `${first30}${String(check).padStart(2, '0')}`;
}
