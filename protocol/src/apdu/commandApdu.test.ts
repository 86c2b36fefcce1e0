// ISO/IEC 7816-4 §5.1 C-APDU cases and §5.4.1 CLA coding of logical channels.
import { describe, expect, it } from 'vitest';
import { toHex, fromHex } from '../bytes.js';
import { channelOfCla, claOfChannel, encodeCommandApdu, isProprietaryCla, isSupportedCla, parseCommandApdu } from './commandApdu.js';
import { ApduError, formatStatusWord, hasMoreData, responseDataOf, StatusWord, statusWordOf, withStatusWord } from './statusWords.js';

describe('C-APDU', () => {
  it('encodes the four cases in short form and parses them back', () => {
    const cases = [
      { hex: '0070800100', apdu: { cla: 0x00, ins: 0x70, p1: 0x80, p2: 0x01, le: 256 } },
      { hex: '0070000001', apdu: { cla: 0x00, ins: 0x70, p1: 0x00, p2: 0x00, le: 1 } },
      { hex: '81E2910003BF2E00', apdu: { cla: 0x81, ins: 0xe2, p1: 0x91, p2: 0x00, data: fromHex('BF2E00') } },
      { hex: '00A4040005A00000055900', apdu: { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: fromHex('A000000559'), le: 256 } },
    ];
    for (const { hex, apdu } of cases) {
      expect(toHex(encodeCommandApdu(apdu), 'upper')).toBe(hex);
      const parsed = parseCommandApdu(fromHex(hex));
      expect(parsed).toMatchObject({ cla: apdu.cla, ins: apdu.ins, p1: apdu.p1, p2: apdu.p2, le: apdu.le });
      expect(parsed.data).toEqual(apdu.data ?? new Uint8Array(0));
    }
    expect(toHex(encodeCommandApdu({ cla: 0x80, ins: 0xaa, p1: 0, p2: 0 }), 'upper')).toBe('80AA0000');
  });

  it('parses extended lengths and refuses malformed ones with 6700', () => {
    expect(parseCommandApdu(fromHex('80E29100000003010203'))).toMatchObject({ data: Uint8Array.of(1, 2, 3), le: undefined });
    expect(parseCommandApdu(fromHex('80E291000000030102030100')).le).toBe(256);
    expect(parseCommandApdu(fromHex('00C00000000000')).le).toBe(65536);
    for (const bad of ['00A404', '00A4040005A000', '00A4040001AA0000', '00E291000000', '00E2910000000000']) {
      expect(() => parseCommandApdu(fromHex(bad))).toThrow(ApduError);
      try {
        parseCommandApdu(fromHex(bad));
      } catch (error) {
        expect((error as ApduError).statusWord).toBe(StatusWord.wrongLength);
      }
    }
  });

  it('codes logical channels 0-19 in the CLA, interindustry and GlobalPlatform proprietary', () => {
    expect([0, 1, 3, 4, 19].map((channel) => claOfChannel(channel))).toEqual([0x00, 0x01, 0x03, 0x40, 0x4f]);
    expect([0, 1, 3, 4, 19].map((channel) => claOfChannel(channel, true))).toEqual([0x80, 0x81, 0x83, 0xc0, 0xcf]);
    for (let channel = 0; channel < 20; channel += 1) {
      expect(channelOfCla(claOfChannel(channel))).toBe(channel);
      expect(channelOfCla(claOfChannel(channel, true))).toBe(channel);
      expect(isSupportedCla(claOfChannel(channel, true))).toBe(true);
      expect(isProprietaryCla(claOfChannel(channel, true))).toBe(true);
    }
    expect(isSupportedCla(0x0c)).toBe(false);
    expect(isSupportedCla(0xff)).toBe(false);
    expect(() => claOfChannel(20)).toThrow(RangeError);
  });
});

describe('R-APDU and status words', () => {
  it('splits data from SW1 SW2 and recognises 61xx', () => {
    const response = withStatusWord(Uint8Array.of(0xbf, 0x2e), 0x6114);
    expect(toHex(response, 'upper')).toBe('BF2E6114');
    expect(statusWordOf(response)).toBe(0x6114);
    expect(responseDataOf(response)).toEqual(Uint8Array.of(0xbf, 0x2e));
    expect(hasMoreData(0x6100)).toBe(true);
    expect(hasMoreData(StatusWord.ok)).toBe(false);
    expect(formatStatusWord(StatusWord.wrongData)).toBe('6A80');
    expect(new ApduError(StatusWord.incorrectP1P2, 'bad P2').message).toBe('bad P2 (SW 6A86)');
  });
});
