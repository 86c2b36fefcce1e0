// The SM-DP+'s one-time key (OneTimeEckaKey: OpenSSL's raw EC key through node's ECDH) against the general
// KeyObject path (eckaKeyPairFromScalar + eckaSharedSecret, i.e. diffieHellman on KeyObjects): same otPK, same
// ShS (SGP.22 v2.2.2 §2.6.4, BSI TR-03111 ECKA-DH) on random keys of both curves; bad peer points refused as
// the KeyObject path refuses them; the key serves one agreement only.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { curveNames, type CurveName } from './curves.js';
import {
  decodeUncompressedPoint, eckaKeyPairFromScalar, eckaSharedSecret, fixedOneTimeEckaKeyGenerator, generateEckaKeyPair, generateOneTimeEckaKey,
  oneTimeEckaKeyFromScalar,
} from './ecka.js';
import { CryptoInputError, InvalidPublicKeyError } from './errors.js';
import { toHex } from './testing/fixtures.js';

/** Group orders (SEC 2 §2.4.2, RFC 5639 §3.4): a valid scalar is 1 ≤ d < n. */
const orders: Record<CurveName, bigint> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  brainpoolP256r1: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
};
/** Field primes: a coordinate ≥ p is no field element. */
const primes: Record<CurveName, bigint> = {
  'P-256': 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  brainpoolP256r1: 0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377n,
};

const bytes32 = (value: bigint): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
const scalarOn = (curve: CurveName) => fc.bigInt({ min: 1n, max: orders[curve] - 1n }).map(bytes32);

describe.each(curveNames)('OneTimeEckaKey on %s', (curve) => {
  it('gives the KeyObject path’s otPK and ShS for random key pairs', () => {
    fc.assert(
      fc.property(scalarOn(curve), scalarOn(curve), (own, peer) => {
        const reference = eckaKeyPairFromScalar(curve, own);
        const peerPair = eckaKeyPairFromScalar(curve, peer);
        const key = oneTimeEckaKeyFromScalar(curve, own);
        expect(toHex(key.publicPoint)).toBe(toHex(reference.publicPoint));
        expect(toHex(key.agree(peerPair.publicPoint))).toBe(toHex(eckaSharedSecret(reference.privateKey, peerPair.publicPoint)));
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with a generated KeyObject pair, both ways', () => {
    const key = generateOneTimeEckaKey(curve);
    const peer = generateEckaKeyPair(curve);
    expect(key.publicPoint).toHaveLength(65);
    const secret = key.agree(peer.publicPoint);
    expect(secret).toHaveLength(32);
    expect(toHex(eckaSharedSecret(peer.privateKey, decodeUncompressedPoint(curve, key.publicPoint)))).toBe(toHex(secret));
  });

  it('refuses a peer point off the curve, or with a coordinate outside the field, as the KeyObject path does', () => {
    fc.assert(
      fc.property(scalarOn(curve), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 7 }), (peer, index, bit) => {
        const point = new Uint8Array(eckaKeyPairFromScalar(curve, peer).publicPoint);
        point[index] = (point[index] ?? 0) ^ (1 << bit); // a changed coordinate: off the curve
        expect(() => decodeUncompressedPoint(curve, point)).toThrow(InvalidPublicKeyError);
        expect(() => generateOneTimeEckaKey(curve).agree(point)).toThrow(InvalidPublicKeyError);
      }),
      { numRuns: 40 },
    );
    const outside = Uint8Array.from([0x04, ...bytes32(primes[curve]), ...bytes32(1n)]);
    expect(() => generateOneTimeEckaKey(curve).agree(outside)).toThrow(InvalidPublicKeyError);
    const compressed = Uint8Array.from([0x02, ...bytes32(1n)]);
    expect(() => generateOneTimeEckaKey(curve).agree(compressed)).toThrow(InvalidPublicKeyError);
    expect(() => generateOneTimeEckaKey(curve).agree(new Uint8Array(65))).toThrow(InvalidPublicKeyError);
  });

  it('serves one agreement: a second one fails, also after a refused peer point', () => {
    const peer = generateEckaKeyPair(curve).publicPoint;
    const used = generateOneTimeEckaKey(curve);
    used.agree(peer);
    expect(() => used.agree(peer)).toThrow(CryptoInputError);
    const refused = generateOneTimeEckaKey(curve);
    expect(() => refused.agree(new Uint8Array(65))).toThrow(InvalidPublicKeyError);
    expect(() => refused.agree(peer)).toThrow(CryptoInputError);
  });

  it('keeps its private scalar out of JSON and inspection', async () => {
    const scalar = bytes32(0x1234567890abcdefn);
    const key = oneTimeEckaKeyFromScalar(curve, scalar);
    const { inspect } = await import('node:util');
    const shown = `${JSON.stringify(key)} ${inspect(key, { depth: 10, showHidden: true })}`;
    expect(shown).not.toContain('1234567890abcdef');
    expect(shown).not.toContain(Buffer.from(scalar).toString('base64'));
  });
});

describe('fixedOneTimeEckaKeyGenerator', () => {
  it('hands out the given keys in order, then fails closed', () => {
    const a = bytes32(10n);
    const b = bytes32(11n);
    const generate = fixedOneTimeEckaKeyGenerator([a, b]);
    expect(toHex(generate('P-256').publicPoint)).toBe(toHex(eckaKeyPairFromScalar('P-256', a).publicPoint));
    expect(toHex(generate('brainpoolP256r1').publicPoint)).toBe(toHex(eckaKeyPairFromScalar('brainpoolP256r1', b).publicPoint));
    expect(() => generate('P-256')).toThrow(CryptoInputError);
  });

  it('refuses scalars outside 1 ≤ d < n', () => {
    expect(() => oneTimeEckaKeyFromScalar('P-256', new Uint8Array(32))).toThrow(CryptoInputError);
    expect(() => oneTimeEckaKeyFromScalar('P-256', bytes32(orders['P-256']))).toThrow(CryptoInputError);
    expect(() => oneTimeEckaKeyFromScalar('brainpoolP256r1', new Uint8Array(32).fill(0xff))).toThrow(CryptoInputError);
  });
});
