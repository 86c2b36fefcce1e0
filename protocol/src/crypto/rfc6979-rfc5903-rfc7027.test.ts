import { describe, expect, it } from 'vitest';
import { decodeUncompressedPoint, eckaKeyPairFromScalar, eckaSharedSecret } from './ecka.js';
import { rawSignatureToDer, verifyDer, verifyRaw } from './signature.js';
import type { CurveName } from './curves.js';
import { hex, readVectors, toHex } from './testing/fixtures.js';

interface PublishedVectors {
  rfc6979: { privateKey: string; publicPoint: string; signatures: { message: string; r: string; s: string }[] };
  ecdh: { source: string; curve: CurveName; privateA: string; publicA: string; privateB: string; publicB: string; sharedX: string }[];
}
const vectors = readVectors<PublishedVectors>('vectors/published-ec.json');

describe('ECDSA P-256 SHA-256, RFC 6979 A.2.5', () => {
  const { privateKey, publicPoint, signatures } = vectors.rfc6979;

  it('the private key gives the published public point', () => {
    expect(toHex(eckaKeyPairFromScalar('P-256', hex(privateKey)).publicPoint)).toBe(publicPoint);
  });

  it.each(signatures)('the raw r‖s signature of "$message" verifies, and fails for another message', ({ message, r, s }) => {
    const publicKey = decodeUncompressedPoint('P-256', hex(publicPoint));
    const data = new TextEncoder().encode(message);
    expect(verifyRaw(publicKey, data, hex(r + s))).toBe(true);
    expect(verifyDer(publicKey, data, rawSignatureToDer(hex(r + s)))).toBe(true);
    expect(verifyRaw(publicKey, new TextEncoder().encode(`${message}.`), hex(r + s))).toBe(false);
  });
});

describe('ECKA-DH known answers: RFC 5903 §8.1 (P-256) and RFC 7027 A.1 (brainpoolP256r1)', () => {
  it.each(vectors.ecdh)('$source', ({ curve, privateA, publicA, privateB, publicB, sharedX }) => {
    const a = eckaKeyPairFromScalar(curve, hex(privateA));
    const b = eckaKeyPairFromScalar(curve, hex(privateB));
    expect(toHex(a.publicPoint)).toBe(publicA);
    expect(toHex(b.publicPoint)).toBe(publicB);
    expect(toHex(eckaSharedSecret(a.privateKey, hex(publicB)))).toBe(sharedX);
    expect(toHex(eckaSharedSecret(b.privateKey, a.publicKey))).toBe(sharedX);
  });
});
