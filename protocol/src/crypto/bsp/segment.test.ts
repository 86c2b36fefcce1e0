import { describe, expect, it } from 'vitest';
import { BspSession, maxSegmentLength } from './segment.js';
import { protectProfileElements, protectStoreMetadata, splitIntoChunks, unprotectSegments } from './chunks.js';
import { BspMacError, BspStructureError, CryptoInputError } from '../errors.js';
import { bspFullMac } from './mac.js';
import { bspDecrypt, bspIcv } from './cipher.js';
import { createCipheriv } from 'node:crypto';
import { hex, readVectors, testTlvs, toHex } from '../testing/fixtures.js';

// The keys of KDF vector B (kdf.test.ts); the expected segments were computed independently.
const sessionKeys = {
  sEnc: hex('472f5bfadd97f21d34f3ce9b51b92751'),
  sMac: hex('9ec07f5b36a13e12a991d66e294e6242'),
  initialMcv: hex('406d507b448a699e7a36a38494debbde'),
};
const configureIsdp = hex('bf2400');
const storeMetadata = hex('bf252d5a0a98001032547698103214910947534d415f54455354921147534d415f544553545f50524f46494c45950100');
const replaceSessionKeys = hex(
  'bf26368010000102030405060708090a0b0c0d0e0f8110010102030405060708090a0b0c0d0e0f8210020102030405060708090a0b0c0d0e0f',
);
const expected = {
  configureIsdp: '8718f6fe031e4b9cfe87c8e1e62f3fde85c49412d7722a6a2d89',
  storeMetadata: `8838${toHex(storeMetadata)}8a62cc9adbb5ccbc`,
  replaceSessionKeys:
    '8748a14c800a001992351cd46ad2945654674369701d82b7b46567652bc8fbed234939fc57fba748015525fd6c651e9d3d1330652d42a0cfad950e912122af4ec5362d3c0bc535729c40',
};

interface PysimVectors {
  ppkSegments: { ppkEnc: string; ppkMac: string; initialMcv: string; plaintext: string[]; segments: string[] };
  boundProfilePackage: {
    sEnc: string; sMac: string; initialMcv: string; configureIsdpPlaintext: string; storeMetadataPlaintext: string;
    ppkEnc: string; ppkMac: string; ppkInitialMcv: string; bppHex: string; uppHex: string;
  };
}
const pysim = readVectors<PysimVectors>('bsp/vectors/pysim-bsp.json');

describe('BSP segments, known answers with the vector B keys (SGP.22 §2.6.4.4)', () => {
  it('protects ConfigureISDP (87, counter 1), StoreMetadata (88, counter 2) and ReplaceSessionKeys (87, counter 3)', () => {
    const session = new BspSession(sessionKeys);
    expect(toHex(session.protectEncrypted(0x87, configureIsdp))).toBe(expected.configureIsdp);
    expect(toHex(session.protectMacOnly(0x88, storeMetadata))).toBe(expected.storeMetadata);
    expect(session.nextCounter).toBe(3);
    expect(toHex(session.protectEncrypted(0x87, replaceSessionKeys))).toBe(expected.replaceSessionKeys);
  });

  it('the eUICC side verifies and decrypts the same segments', () => {
    const session = new BspSession(sessionKeys);
    expect(session.unprotect(hex(expected.configureIsdp))).toEqual({ tag: 0x87, plaintext: configureIsdp });
    expect(session.unprotect(hex(expected.storeMetadata))).toEqual({ tag: 0x88, plaintext: storeMetadata });
    expect(session.unprotect(hex(expected.replaceSessionKeys))).toEqual({ tag: 0x87, plaintext: replaceSessionKeys });
  });

  it('after ReplaceSessionKeys the counter restarts at 1 under PPK keys: two 1007-byte chunks → 1020-byte segments', () => {
    const { ppkEnc, ppkMac, initialMcv, plaintext, segments } = pysim.ppkSegments;
    const session = new BspSession(sessionKeys);
    session.protectEncrypted(0x87, configureIsdp);
    session.replaceSessionKeys(hex(ppkEnc), hex(ppkMac), hex(initialMcv));
    expect(session.nextCounter).toBe(1);
    const protectedSegments = plaintext.map((chunk) => session.protectEncrypted(0x86, hex(chunk)));
    expect(protectedSegments.map(toHex)).toEqual(segments);
    expect(protectedSegments[0]).toHaveLength(maxSegmentLength);

    const receiver = new BspSession(sessionKeys);
    receiver.replaceSessionKeys(hex(ppkEnc), hex(ppkMac), hex(initialMcv));
    expect(toHex(unprotectSegments(receiver, segments.map(hex), 0x86))).toBe(plaintext.join(''));
  });

  it('decodes a complete BPP made by pySim\'s osmo-smdpp back to its UPP', () => {
    // This BPP carries each whole segment TLV as the content of the [7]/[8]/[6] OCTET STRING (87 1A 87 18 ..),
    // and its 86 segments are 1036 bytes, above the 1020-byte limit of §2.6.4.4: the session rejects them
    // as structure errors, so the 86 part is checked with the primitives underneath (MAC chain, counter).
    const vector = pysim.boundProfilePackage;
    const [bpp] = testTlvs(hex(vector.bppHex));
    expect(bpp?.tag).toBe(0xbf36);
    const parts = new Map(testTlvs(bpp?.value ?? new Uint8Array(0)).map((tlv) => [tlv.tag, tlv.value]));
    const segmentsOf = (tag: number) => testTlvs(parts.get(tag) ?? new Uint8Array(0)).map((element) => element.value);
    const session = new BspSession({ sEnc: hex(vector.sEnc), sMac: hex(vector.sMac), initialMcv: hex(vector.initialMcv) });
    expect(toHex(unprotectSegments(session, segmentsOf(0xa0), 0x87))).toBe(vector.configureIsdpPlaintext);
    expect(toHex(unprotectSegments(session, segmentsOf(0xa1), 0x88))).toBe(vector.storeMetadataPlaintext);
    expect(parts.has(0xa2)).toBe(false);

    const segments86 = segmentsOf(0xa3);
    expect(segments86.length).toBeGreaterThan(10);
    const ppkKeys = { sEnc: hex(vector.ppkEnc), sMac: hex(vector.ppkMac), initialMcv: hex(vector.ppkInitialMcv) };
    expect(() => new BspSession(ppkKeys).unprotect(segments86[0] ?? hex(''))).toThrow(BspStructureError);
    let mcv = ppkKeys.initialMcv;
    const plaintext = segments86.map((segment, index) => {
      const macOffset = segment.length - 8;
      const fullMac = bspFullMac(ppkKeys.sMac, mcv, segment.subarray(0, macOffset));
      expect(toHex(fullMac.subarray(0, 8))).toBe(toHex(segment.subarray(macOffset)));
      mcv = fullMac;
      const headerLength = segment.length - (testTlvs(segment)[0]?.value.length ?? 0);
      return toHex(bspDecrypt(ppkKeys.sEnc, index + 1, segment.subarray(headerLength, macOffset)));
    });
    expect(plaintext.join('')).toBe(vector.uppHex);
  });
});

describe('BSP round trips and failures', () => {
  const upp = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);

  it.each([0, 1, 15, 16, 1006, 1007, 1008, 2014, 2015, 5000])('a %i-byte UPP protects into ≤1020-byte 86 segments and back', (length) => {
    const sender = new BspSession(sessionKeys);
    const segments = protectProfileElements(sender, upp.subarray(0, length));
    expect(segments).toHaveLength(Math.max(1, Math.ceil(length / 1007)));
    for (const segment of segments) expect(segment.length).toBeLessThanOrEqual(maxSegmentLength);
    if (length === 1007) expect(toHex(segments[0]?.subarray(0, 4) ?? hex(''))).toBe('868203f8');
    const receiver = new BspSession(sessionKeys);
    expect(toHex(unprotectSegments(receiver, segments, 0x86))).toBe(toHex(upp.subarray(0, length)));
  });

  it('a 1008-byte MAC-only chunk fills a 1020-byte 88 segment; 2017 bytes take three', () => {
    const sender = new BspSession(sessionKeys);
    const one = protectStoreMetadata(sender, upp.subarray(0, 1008));
    expect(one).toHaveLength(1);
    expect(one[0]).toHaveLength(maxSegmentLength);
    expect(protectStoreMetadata(sender, upp.subarray(0, 2017))).toHaveLength(3);
    const receiver = new BspSession(sessionKeys);
    expect(toHex(unprotectSegments(receiver, one, 0x88))).toBe(toHex(upp.subarray(0, 1008)));
    expect(receiver.nextCounter).toBe(2);
  });

  it('refuses plaintext above 1007 (encrypted) or 1008 (MAC-only) bytes and wrong tags', () => {
    const session = new BspSession(sessionKeys);
    expect(() => session.protectEncrypted(0x86, new Uint8Array(1008))).toThrow(CryptoInputError);
    expect(() => session.protectMacOnly(0x88, new Uint8Array(1009))).toThrow(CryptoInputError);
    expect(() => session.protectEncrypted(0x88 as 0x86, new Uint8Array(1))).toThrow(CryptoInputError);
    expect(() => session.protectMacOnly(0x87 as 0x88, new Uint8Array(1))).toThrow(CryptoInputError);
    expect(session.nextCounter).toBe(1);
  });

  it('a tampered MAC or ciphertext fails with BspMacError and leaves the session usable', () => {
    const receiver = new BspSession(sessionKeys);
    const tamperedMac = hex(expected.configureIsdp);
    tamperedMac[tamperedMac.length - 1] = (tamperedMac[tamperedMac.length - 1] ?? 0) ^ 1;
    expect(() => receiver.unprotect(tamperedMac)).toThrow(BspMacError);
    const tamperedBody = hex(expected.configureIsdp);
    tamperedBody[5] = (tamperedBody[5] ?? 0) ^ 0x40;
    expect(() => receiver.unprotect(tamperedBody)).toThrow(BspMacError);
    expect(receiver.nextCounter).toBe(1);
    expect(receiver.unprotect(hex(expected.configureIsdp)).plaintext).toEqual(configureIsdp);
  });

  it('segments out of order fail the MAC chain', () => {
    const receiver = new BspSession(sessionKeys);
    expect(() => receiver.unprotect(hex(expected.storeMetadata))).toThrow(BspMacError);
    receiver.unprotect(hex(expected.configureIsdp));
    expect(() => receiver.unprotect(hex(expected.replaceSessionKeys))).toThrow(BspMacError);
  });

  it('structural errors are BspStructureError', () => {
    const receiver = new BspSession(sessionKeys);
    const good = hex(expected.configureIsdp);
    expect(() => receiver.unprotect(new Uint8Array(0))).toThrow(BspStructureError);
    expect(() => receiver.unprotect(hex('8918' + toHex(good.subarray(2))))).toThrow(BspStructureError);
    expect(() => receiver.unprotect(good.subarray(0, good.length - 1))).toThrow(BspStructureError);
    expect(() => receiver.unprotect(hex('8705' + '00'.repeat(5)))).toThrow(BspStructureError);
    expect(() => receiver.unprotect(hex('8783000000'))).toThrow(BspStructureError);
    expect(() => unprotectSegments(receiver, [good], 0x86)).toThrow(BspStructureError);
    const oversized = new Uint8Array(1021);
    oversized.set([0x86, 0x82, 0x03, 0xf9]);
    expect(() => receiver.unprotect(oversized)).toThrow(BspStructureError);
  });

  it('a correct MAC over a ciphertext without valid padding is a structure error', () => {
    // 16 zero bytes encrypted under counter 1 without the mandatory 80 padding, then MACed correctly.
    const cbc = createCipheriv('aes-128-cbc', sessionKeys.sEnc, bspIcv(sessionKeys.sEnc, 1));
    cbc.setAutoPadding(false);
    const ciphertext = cbc.update(new Uint8Array(16));
    const body = new Uint8Array([0x87, 16 + 8, ...ciphertext]);
    const fullMac = bspFullMac(sessionKeys.sMac, sessionKeys.initialMcv, body);
    const segment = new Uint8Array([...body, ...fullMac.subarray(0, 8)]);
    const receiver = new BspSession(sessionKeys);
    expect(() => receiver.unprotect(segment)).toThrow(BspStructureError);
    expect(receiver.nextCounter).toBe(1);
  });

  it('splits into chunks', () => {
    expect(splitIntoChunks(new Uint8Array(10), 4).map((chunk) => chunk.length)).toEqual([4, 4, 2]);
    expect(() => splitIntoChunks(new Uint8Array(1), 0)).toThrow(CryptoInputError);
  });
});
