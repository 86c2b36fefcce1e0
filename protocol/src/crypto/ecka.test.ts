import { describe, expect, it } from 'vitest';
import { createECDH } from 'node:crypto';
import {
  decodeUncompressedPoint,
  eckaKeyPairFromScalar,
  eckaSharedSecret,
  encodeUncompressedPoint,
  fixedEckaKeyGenerator,
  generateEckaKeyPair,
} from './ecka.js';
import { curveOfKey, curveNames } from './curves.js';
import { signRaw, verifyRaw } from './signature.js';
import { CryptoInputError, InvalidPublicKeyError } from './errors.js';
import { hex, toHex } from './testing/fixtures.js';

const scalarA = hex('0a'.repeat(32));
const scalarB = hex('1b'.repeat(31) + '01');

describe('one-time ECKA key pairs (SGP.22 §2.6.4, otPK/otSK.ECKA)', () => {
  it.each(curveNames)('%s: generated pairs carry a 65-byte 04‖X‖Y point matching the key', (curve) => {
    const pair = generateEckaKeyPair(curve);
    expect(pair.publicPoint).toHaveLength(65);
    expect(pair.publicPoint[0]).toBe(4);
    expect(curveOfKey(pair.privateKey)).toBe(curve);
    expect(toHex(encodeUncompressedPoint(pair.publicKey))).toBe(toHex(pair.publicPoint));
    const message = hex('00112233');
    expect(verifyRaw(decodeUncompressedPoint(curve, pair.publicPoint), message, signRaw(pair.privateKey, message))).toBe(true);
  });

  it.each(curveNames)('%s: a fixed scalar gives the same point as OpenSSL ECDH', (curve) => {
    const pair = eckaKeyPairFromScalar(curve, scalarA);
    const ecdh = createECDH(curve === 'P-256' ? 'prime256v1' : 'brainpoolP256r1');
    ecdh.setPrivateKey(scalarA);
    expect(toHex(pair.publicPoint)).toBe(ecdh.getPublicKey('hex'));
    const again = eckaKeyPairFromScalar(curve, scalarA);
    expect(toHex(again.publicPoint)).toBe(toHex(pair.publicPoint));
  });

  it('fixedEckaKeyGenerator hands out the given keys in order, then fails closed', () => {
    const generate = fixedEckaKeyGenerator([scalarA, scalarB]);
    expect(toHex(generate('P-256').publicPoint)).toBe(toHex(eckaKeyPairFromScalar('P-256', scalarA).publicPoint));
    expect(toHex(generate('P-256').publicPoint)).toBe(toHex(eckaKeyPairFromScalar('P-256', scalarB).publicPoint));
    expect(() => generate('P-256')).toThrow(CryptoInputError);
  });

  it('rejects invalid private scalars', () => {
    expect(() => eckaKeyPairFromScalar('P-256', new Uint8Array(32))).toThrow(CryptoInputError);
    expect(() => eckaKeyPairFromScalar('P-256', new Uint8Array(31).fill(1))).toThrow(CryptoInputError);
    expect(() => eckaKeyPairFromScalar('brainpoolP256r1', new Uint8Array(32).fill(0xff))).toThrow(CryptoInputError);
  });
});

describe('ECKA-DH shared secret (BSI TR-03111: X coordinate)', () => {
  it.each(curveNames)('%s: both sides derive the same 32-byte secret, equal to createECDH', (curve) => {
    const dp = eckaKeyPairFromScalar(curve, scalarA);
    const euicc = eckaKeyPairFromScalar(curve, scalarB);
    const fromDp = eckaSharedSecret(dp.privateKey, euicc.publicPoint);
    const fromEuicc = eckaSharedSecret(euicc.privateKey, dp.publicKey);
    expect(fromDp).toHaveLength(32);
    expect(toHex(fromDp)).toBe(toHex(fromEuicc));
    const ecdh = createECDH(curve === 'P-256' ? 'prime256v1' : 'brainpoolP256r1');
    ecdh.setPrivateKey(scalarA);
    expect(toHex(fromDp)).toBe(ecdh.computeSecret(euicc.publicPoint).toString('hex'));
  });

  it('rejects a peer key on the other curve', () => {
    const dp = eckaKeyPairFromScalar('P-256', scalarA);
    const other = eckaKeyPairFromScalar('brainpoolP256r1', scalarB);
    expect(() => eckaSharedSecret(dp.privateKey, other.publicKey)).toThrow(InvalidPublicKeyError);
  });
});

describe('uncompressed point decoding validates the point', () => {
  const valid = eckaKeyPairFromScalar('P-256', scalarA).publicPoint;

  it('rejects a point that is not on the curve', () => {
    const offCurve = valid.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(() => decodeUncompressedPoint('P-256', offCurve)).toThrow(InvalidPublicKeyError);
    expect(() => decodeUncompressedPoint('brainpoolP256r1', valid)).toThrow(InvalidPublicKeyError);
  });

  it('rejects compressed, truncated and infinity encodings', () => {
    const compressed = new Uint8Array([0x02, ...valid.subarray(1, 33)]);
    expect(() => decodeUncompressedPoint('P-256', compressed)).toThrow(InvalidPublicKeyError);
    expect(() => decodeUncompressedPoint('P-256', valid.subarray(0, 64))).toThrow(InvalidPublicKeyError);
    expect(() => decodeUncompressedPoint('P-256', hex('00'))).toThrow(InvalidPublicKeyError);
    const wrongPrefix = valid.slice();
    wrongPrefix[0] = 0x06;
    expect(() => decodeUncompressedPoint('P-256', wrongPrefix)).toThrow(InvalidPublicKeyError);
  });

  it('rejects coordinates outside the field', () => {
    const big = new Uint8Array(65).fill(0xff);
    big[0] = 4;
    expect(() => decodeUncompressedPoint('P-256', big)).toThrow(InvalidPublicKeyError);
  });
});
