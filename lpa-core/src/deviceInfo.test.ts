// DeviceInfo coding (SGP.22 v2.2.2 §5.7.13 ctxParams1; the TAC as the 4 octets devices send).
import { describe, expect, it } from 'vitest';
import { DeviceInfo, iccidToBytes as iccidFromDigits, iccidToDigits } from '@zkesim/protocol';
import { buildDeviceInfo, encodeImei, encodeTac } from './deviceInfo.js';
import { InvalidInput } from './errors.js';
import { profileIdentifierOf } from './identifiers.js';

describe('DeviceInfo', () => {
  it('codes the TAC as 4 bytes of plain BCD', () => {
    expect(Buffer.from(encodeTac('35290611')).toString('hex')).toBe('35290611');
  });

  it('codes the IMEI as 8 bytes of swapped-nibble BCD with F filler and checks its Luhn digit', () => {
    expect(Buffer.from(encodeImei('356938035643809')).toString('hex').toUpperCase()).toBe('53968330653408F9');
    expect(() => encodeImei('356938035643808')).toThrow(InvalidInput);
    expect(Buffer.from(encodeImei('3569380356438091')).toString('hex')).toBe('5396833065340819');
  });

  it('takes the TAC from the IMEI and encodes as DER that decodes back', () => {
    const info = buildDeviceInfo({ imei: '356938035643809' });
    expect(Buffer.from(info.tac).toString('hex')).toBe('35693803');
    const der = DeviceInfo.encode(info);
    expect(DeviceInfo.decode(der).imei).toEqual(info.imei);
    expect(() => buildDeviceInfo({ imei: '356938035643809', tac: '35290611' })).toThrow(/not the start of the IMEI/);
  });
});

describe('identifiers', () => {
  it('codes ICCIDs as in EF.ICCID and back', () => {
    expect(Buffer.from(iccidFromDigits('8944476500001224158')).toString('hex').toUpperCase()).toBe('984474560000214251F8');
    expect(iccidToDigits(iccidFromDigits('89444765000012241580'))).toBe('89444765000012241580');
  });

  it('tells ICCIDs from ISD-P AIDs', () => {
    expect(profileIdentifierOf('8944476500001224158')).toHaveProperty('iccid');
    expect(profileIdentifierOf('A0000005591010FFFFFFFF8900001000')).toHaveProperty('isdpAid');
    expect(() => profileIdentifierOf('hello')).toThrow(InvalidInput);
  });
});
