// The Luhn check digit (ISO/IEC 7812-1 Annex B), used by the ICCID (ITU-T E.118) and the IMEI
// (3GPP TS 23.003 §6.2.1 and Annex B).

/**
 * The check digit to append to `payload` (decimal digits).
 * @example luhnCheckDigit('8944476500001224158'.slice(0, -1)) // 8
 */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i += 1) {
    // From the right, every other digit starting with the rightmost payload digit is doubled.
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last of `digits` is the Luhn check digit of the others. */
export function isLuhnValid(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}
