// ICCID in EF.ICCID order (ETSI TS 102 221 §13.2, SGP.22 Iccid) and as digits, on the GSMA TS.48 test
// profiles' ICCIDs (as found in the profile packages' ProfileHeader and EF.ICCID).
import { describe, expect, it } from 'vitest';
import { fromHex as hex, toHex } from '../bytes.js';
import { InvalidIdentifier } from './errors.js';
import { iccidDigits, iccidFromBytes, iccidFromProfileHeader, iccidToBytes, iccidToDigits, iccidToProfileHeader, iccidWithCheckDigit, profileHeaderIccidMatches } from './iccid.js';
import { isLuhnValid } from './luhn.js';


/** TS48V1-A-UNIQUE: the ICCID, EF.ICCID's content and the ProfileHeader's iccid as stored in the package. */
const TS48_V1 = { digits: '8949449999999990023', efIccid: '989444999999990920F3', header: '8949449999999990023F' };
const TS48_ICCIDS = ['8949449999999990023', '8949449999999990130', '8949449999999990148', '8949449999999990163'];

describe('ICCID', () => {
  it('codes the TS.48 ICCID as EF.ICCID bytes (nibbles swapped, F filler) and back', () => {
    expect(toHex(iccidToBytes(TS48_V1.digits), 'upper')).toBe(TS48_V1.efIccid);
    expect(iccidFromBytes(hex(TS48_V1.efIccid))).toBe(TS48_V1.digits);
    expect(iccidToDigits(hex(TS48_V1.efIccid))).toBe(TS48_V1.digits);
  });

  it('codes 19- and 20-digit ICCIDs', () => {
    expect(toHex(iccidToBytes('8944476500001224158'), 'upper')).toBe('984474560000214251F8');
    expect(iccidToDigits(iccidToBytes('89444765000012241580'))).toBe('89444765000012241580');
  });

  it('reads a SAIP ProfileHeader iccid in plain order (as the TS.48 packages store it) or in EF.ICCID order', () => {
    expect(iccidFromProfileHeader(hex(TS48_V1.header))).toBe(TS48_V1.digits);
    expect(iccidFromProfileHeader(hex(TS48_V1.efIccid))).toBe(TS48_V1.digits);
  });

  it('writes a ProfileHeader iccid in plain order as the TS.48 packages store it', () => {
    expect(toHex(iccidToProfileHeader(TS48_V1.digits), 'upper')).toBe(TS48_V1.header);
    expect(toHex(iccidToProfileHeader('89444765000012241580'), 'upper')).toBe('89444765000012241580');
    expect(() => iccidToProfileHeader('8949')).toThrow(InvalidIdentifier);
  });

  it('matches a ProfileHeader iccid in either order with the EF.ICCID-ordered Iccid of StoreMetadata by digits', () => {
    const iccid = hex(TS48_V1.efIccid);
    expect(profileHeaderIccidMatches(hex(TS48_V1.header), iccid)).toBe(true);
    expect(profileHeaderIccidMatches(hex(TS48_V1.efIccid), iccid)).toBe(true);
    expect(profileHeaderIccidMatches(iccidToProfileHeader('8949449999999990130'), iccid)).toBe(false);
    expect(profileHeaderIccidMatches(iccidToBytes('8949449999999990130'), iccid)).toBe(false);
    expect(profileHeaderIccidMatches(hex('FFFFFFFFFFFFFFFFFFFF'), iccid)).toBe(false);
    expect(profileHeaderIccidMatches(hex(TS48_V1.header), hex('8949'))).toBe(false);
  });

  it('appends the Luhn check digit of ITU-T E.118; every TS.48 ICCID carries a valid one', () => {
    for (const iccid of TS48_ICCIDS) {
      expect(isLuhnValid(iccid)).toBe(true);
      expect(iccidWithCheckDigit(iccid.slice(0, -1))).toBe(iccid);
    }
  });

  it('names the field of a malformed ICCID', () => {
    expect(iccidDigits('8949449999999990023F')).toBe('8949449999999990023');
    expect(() => iccidDigits('89494499', 'order.iccid')).toThrow(new InvalidIdentifier('order.iccid', 'must be 18 to 20 decimal digits'));
    expect(() => iccidToBytes('89A9449999999990023')).toThrow(InvalidIdentifier);
    expect(() => iccidFromBytes(hex('98944499'))).toThrow(new InvalidIdentifier('iccid', 'must be 10 bytes'));
    expect(() => iccidWithCheckDigit('8949')).toThrow(InvalidIdentifier);
  });
});
