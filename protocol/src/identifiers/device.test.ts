// DeviceInfo identifiers (SGP.22 ctxParams1): TAC in plain BCD, IMEI in TBCD with its Luhn check digit
// (3GPP TS 23.003 §6.2).
import { describe, expect, it } from 'vitest';
import { imeiDigits, imeiFromDeviceInfo, imeiToBytes, tacFromDeviceInfo, tacsOfDeviceInfo, tacToBytes } from './device.js';
import { toHex } from '../bytes.js';
import { InvalidIdentifier } from './errors.js';

describe('DeviceInfo identifiers', () => {
  it('codes the TAC as 4 bytes of plain BCD and reads it back', () => {
    expect(toHex(tacToBytes('35290611'), 'upper')).toBe('35290611');
    expect(tacFromDeviceInfo(tacToBytes('35290611'))).toBe('35290611');
    expect(() => tacToBytes('3529061')).toThrow(new InvalidIdentifier('tac', 'must be 8 decimal digits'));
  });

  it('reads a DeviceInfo.tac in both codings LPAs use: plain BCD and the nibble-swapped IMEI bytes', () => {
    expect(tacsOfDeviceInfo(tacToBytes('35290611'))).toEqual(['35290611', '53926011']);
    expect(tacsOfDeviceInfo(imeiToBytes('356938035643809').slice(0, 4))).toEqual(['53968330', '35693803']);
    expect(tacsOfDeviceInfo(tacToBytes('11111111'))).toEqual(['11111111']);
    expect(tacsOfDeviceInfo(Uint8Array.of(0x35, 0x29, 0x06, 0x1f))).toEqual([]);
    expect(tacsOfDeviceInfo(Uint8Array.of(0x35, 0x29, 0x06, 0x11, 0x00))).toEqual([]);
  });

  it('codes a 15-digit IMEI as 8 bytes of swapped BCD with F filler, checking its Luhn digit', () => {
    expect(toHex(imeiToBytes('356938035643809'), 'upper')).toBe('53968330653408F9');
    expect(() => imeiToBytes('356938035643808')).toThrow(new InvalidIdentifier('imei', 'check digit is wrong (Luhn)'));
  });

  it('codes a 16-digit IMEISV without a check digit', () => {
    expect(toHex(imeiToBytes('3569380356438091'), 'upper')).toBe('5396833065340819');
  });

  it('reads the IMEI of a received DeviceInfo, or nothing when it is not 15 or 16 digits', () => {
    expect(imeiFromDeviceInfo(imeiToBytes('490154203237518'))).toBe('490154203237518');
    expect(imeiFromDeviceInfo(imeiToBytes('3569380356438091'))).toBe('3569380356438091');
    expect(imeiFromDeviceInfo(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBeUndefined();
    expect(imeiFromDeviceInfo(Uint8Array.of(0xab, 0xcd))).toBeUndefined();
  });

  it('validates IMEI digits with the field named', () => {
    expect(imeiDigits('490154203237518')).toBe('490154203237518');
    expect(() => imeiDigits('4901542032', 'blockedImeis.imei')).toThrow(new InvalidIdentifier('blockedImeis.imei', 'must be 15 or 16 decimal digits'));
  });
});
