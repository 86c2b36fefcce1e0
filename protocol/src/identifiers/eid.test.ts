// EID check digits (GSMA SGP.29, ISO/IEC 7064 MOD 97-10) and the 16-byte plain BCD form of SGP.22 GetEID.
import { describe, expect, it } from 'vitest';
import { eidDigits, eidToBytes, eidToDigits, eidWithCheckDigits, hasEidForm, isValidEid } from './eid.js';
import { InvalidIdentifier } from './errors.js';

/** The EID of the SGP.26 test eUICC certificates (subject serialNumber), whose check digits are valid. */
const SGP26_EID = '89049032123451234512345678901235';

describe('EID (SGP.29 check digits)', () => {
  it('accepts the SGP.26 test EID and refuses it with any other check digits', () => {
    expect(isValidEid(SGP26_EID)).toBe(true);
    expect(eidDigits(SGP26_EID)).toBe(SGP26_EID);
    expect(isValidEid('89049032123451234512345678901234')).toBe(false);
    expect(isValidEid('89049032123451234512345678901334')).toBe(false);
  });

  it('computes the check digits of a 30-digit body', () => {
    expect(eidWithCheckDigits(SGP26_EID.slice(0, 30))).toBe(SGP26_EID);
    for (const body of ['890010120000000000000000000000', '890490321234512345123456789099', '000000000000000000000000000000']) {
      expect(isValidEid(eidWithCheckDigits(body))).toBe(true);
    }
  });

  it('names the field of a malformed EID', () => {
    expect(() => eidDigits('8904903212345123451234567890123', 'order.eid')).toThrow(new InvalidIdentifier('order.eid', 'must be 32 decimal digits'));
    expect(() => eidDigits('89049032123451234512345678901234')).toThrow(new InvalidIdentifier('eid', 'check digits are wrong'));
    expect(() => eidWithCheckDigits('8904')).toThrow(InvalidIdentifier);
    expect(hasEidForm('89049032123451234512345678901234')).toBe(true);
    expect(hasEidForm('8904903212345123451234567890123A')).toBe(false);
  });

  it('codes the EID as 16 bytes of plain BCD and reads them back', () => {
    const bytes = eidToBytes(SGP26_EID);
    expect(Buffer.from(bytes).toString('hex')).toBe(SGP26_EID);
    expect(bytes).toHaveLength(16);
    expect(eidToDigits(bytes)).toBe(SGP26_EID);
    expect(() => eidToBytes('89049032123451234512345678901234')).toThrow(InvalidIdentifier);
  });
});
