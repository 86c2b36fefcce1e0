// EID check digits (GSMA SGP.29, ISO/IEC 7064 MOD 97-10) and the 16-byte plain BCD form of SGP.22 GetEID.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eidDigits, eidToBytes, eidToDigits, eidUnderPrefix, eidWithCheckDigits, hasEidForm, isValidEid } from './eid.js';
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

  it('makes new EIDs under an EUM prefix from the injected randomness, with valid check digits', () => {
    // Bytes 250-255 are skipped so that every digit is equally likely; 0x0b is 11 → digit 1.
    const bytes = [0xff, 0xfa, ...Array<number>(21).fill(0x0b), 0x07];
    const scripted = { bytes: (length: number) => Uint8Array.from(bytes.splice(0, length)) };
    const eid = eidUnderPrefix('89001012', scripted);
    expect(eid.slice(0, 30)).toBe(`89001012${'1'.repeat(21)}7`);
    expect(isValidEid(eid)).toBe(true);
    const seen = new Set<string>();
    const varying = { bytes: (length: number) => new Uint8Array(randomBytes(length)) };
    for (let i = 0; i < 50; i++) seen.add(eidUnderPrefix('8904903212345', varying));
    expect(seen.size).toBe(50);
    for (const made of seen) expect(made.startsWith('8904903212345') && isValidEid(made)).toBe(true);
    expect(() => eidUnderPrefix('89A0', scripted)).toThrow(InvalidIdentifier);
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
