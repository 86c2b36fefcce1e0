// Known-answer tests of the BPP construction against the BSP vectors of protocol's kdf and segment tests
// (KDF vector B; ConfigureISDP, StoreMetadata, ReplaceSessionKeys segments), and the 1020-byte segment limit.
import { describe, expect, it } from 'vitest';
import { BoundProfilePackage, BspSession, maxSegmentLength } from '@zkesim/protocol';
import { buildBoundProfilePackage } from './boundProfilePackage.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// KDF vector B (from a third-party SM-DP+ trace): ShS, hostId, EID → MCV0 406d…, S-ENC 472f…, S-MAC 9ec0….
const vectorB = {
  sharedSecret: hex('c9a993dd4879a8f7161f2085410edd4f9652f1df37be097ba96ba2ca6be528fe'),
  hostId: hex('8080808080808080'),
  eid: hex('89049032123451234512345678901235'),
};
const storeMetadata = hex('bf252d5a0a98001032547698103214910947534d415f54455354921147534d415f544553545f50524f46494c45950100');
const replaceSessionKeys = {
  initialMacChainingValue: hex('000102030405060708090a0b0c0d0e0f'),
  ppkEnc: hex('0101020304050607 08090a0b0c0d0e0f'),
  ppkCmac: hex('0201020304050607 08090a0b0c0d0e0f'),
};

function build(upp: Uint8Array, withPpk: boolean) {
  const der = buildBoundProfilePackage({
    transactionId: hex('01020304'),
    hostId: vectorB.hostId,
    smdpOtpk: new Uint8Array(65).fill(4),
    euiccOtpk: new Uint8Array(65).fill(4),
    signWithDpPb: () => new Uint8Array(64),
    session: BspSession.derive(vectorB),
    storeMetadata,
    upp,
    ...(withPpk ? { profileProtectionKeys: replaceSessionKeys } : {}),
  });
  return BoundProfilePackage.decode(der);
}

describe('ES8+ BPP construction against the BSP known answers (SGP.22 §2.5.4, §2.6.4)', () => {
  it('protects ConfigureISDP, StoreMetadata and ReplaceSessionKeys exactly as the vectors (counters 1, 2, 3)', () => {
    const bpp = build(hex('a000'), true);
    expect(toHex(bpp.firstSequenceOf87[0] ?? new Uint8Array())).toBe('f6fe031e4b9cfe87c8e1e62f3fde85c49412d7722a6a2d89');
    expect(toHex(bpp.sequenceOf88[0] ?? new Uint8Array())).toBe(`${toHex(storeMetadata)}8a62cc9adbb5ccbc`);
    expect(toHex(bpp.secondSequenceOf87?.[0] ?? new Uint8Array())).toBe(
      'a14c800a001992351cd46ad2945654674369701d82b7b46567652bc8fbed234939fc57fba748015525fd6c651e9d3d1330652d42a0cfad950e912122af4ec5362d3c0bc535729c40',
    );
  });

  it('cuts the UPP into 86 segments of at most 1020 bytes, 1007 plaintext bytes each', () => {
    const upp = new Uint8Array(1007 * 2 + 1).fill(0x5a);
    const bpp = build(upp, false);
    expect(bpp.sequenceOf86).toHaveLength(3);
    const [first, , last] = bpp.sequenceOf86;
    // value = 1008 bytes of ciphertext + 8 bytes C-MAC; with the 86 82 03F8 header: 1020 bytes.
    expect(first?.length).toBe(1016);
    expect((first?.length ?? 0) + 4).toBe(maxSegmentLength);
    expect(last?.length).toBe(16 + 8);
    expect(bpp.secondSequenceOf87).toBeUndefined();
  });

  it('puts initialiseSecureChannel first with remoteOpId 1, the CRT 88/10/hostId and the transactionId', () => {
    const bpp = build(hex('a000'), false);
    expect(bpp.initialiseSecureChannelRequest).toMatchObject({
      remoteOpId: 1,
      transactionId: hex('01020304'),
      controlRefTemplate: { keyType: hex('88'), keyLen: hex('10'), hostId: vectorB.hostId },
    });
  });
});
