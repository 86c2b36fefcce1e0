import { describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  KeyObjectSigner,
  derSignatureToRaw,
  rawSignatureToDer,
  signDer,
  signRaw,
  verifyDer,
  verifyRaw,
} from './signature.js';
import { assertNotInfinity, curveFromOid, curveOfKey, publicKeyFromSpki, id_brainpoolP256r1, id_secp256r1 } from './curves.js';
import { SignatureEncodingError, UnsupportedCurveError, CryptoInputError, InvalidPublicKeyError } from './errors.js';
import { hex, readSharedSpec, readVectors, splitCertificate, toHex } from './testing/fixtures.js';

interface OpensslVectors {
  messageHex: string;
  derSignatures: Record<'NIST' | 'BRP', Record<string, string>>;
}
const vectors = readVectors<OpensslVectors>('vectors/openssl-ecdsa.json');
const message = hex(vectors.messageHex);
const curves = [
  { name: 'NIST', curve: 'P-256' },
  { name: 'BRP', curve: 'brainpoolP256r1' },
] as const;

function euiccKeys(name: 'NIST' | 'BRP') {
  return {
    privateKey: createPrivateKey(readSharedSpec(`sgp26/eUICC/SK_EUICC_ECDSA_${name}.pem`)),
    publicKey: createPublicKey(readSharedSpec(`sgp26/eUICC/PK_EUICC_ECDSA_${name}.pem`)),
  };
}

describe('curve detection (SGP.22 §2.6.5: P-256 and brainpoolP256r1 only)', () => {
  it.each(curves)('recognises the $name SGP.26 keys and certificates', ({ name, curve }) => {
    const { privateKey, publicKey } = euiccKeys(name);
    expect(curveOfKey(privateKey)).toBe(curve);
    expect(curveOfKey(publicKey)).toBe(curve);
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    expect(publicKeyFromSpki(spki).curve).toBe(curve);
  });

  it('maps the named-curve OIDs and rejects other curves', () => {
    expect(curveFromOid(id_secp256r1)).toBe('P-256');
    expect(curveFromOid(id_brainpoolP256r1)).toBe('brainpoolP256r1');
    expect(() => curveFromOid('1.3.132.0.34')).toThrow(UnsupportedCurveError);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
    expect(() => curveOfKey(p384)).toThrow(UnsupportedCurveError);
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(() => curveOfKey(ed)).toThrow(UnsupportedCurveError);
    expect(() => publicKeyFromSpki(hex('3000'))).toThrow(CryptoInputError);
  });

  it('remembers only recognised keys: another curve or key type is refused on every call, by signRaw and verifyRaw too', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const ed = generateKeyPairSync('ed25519');
    for (let call = 0; call < 3; call += 1) {
      expect(() => curveOfKey(p384.publicKey)).toThrow(UnsupportedCurveError);
      expect(() => signRaw(p384.privateKey, message)).toThrow(UnsupportedCurveError);
      expect(() => verifyRaw(p384.publicKey, message, new Uint8Array(64))).toThrow(UnsupportedCurveError);
      expect(() => signRaw(ed.privateKey, message)).toThrow(UnsupportedCurveError);
    }
    // A recognised key keeps its own curve, whatever was asked before.
    for (const { name, curve } of curves) for (let call = 0; call < 2; call += 1) expect(curveOfKey(euiccKeys(name).privateKey)).toBe(curve);
  });

  it.each(curves)('refuses the $name point at infinity (SEC 1: 00), which OpenSSL 3.0 imports and node aborts on', ({ name }) => {
    const spki = new Uint8Array(euiccKeys(name).publicKey.export({ format: 'der', type: 'spki' }));
    // SEQUENCE { algorithm, BIT STRING 00 04‖X‖Y } → SEQUENCE { algorithm, BIT STRING 00 00 }.
    const algorithm = spki.subarray(2, 2 + 2 + (spki[3] as number));
    const infinity = Uint8Array.from([0x30, algorithm.length + 4, ...algorithm, 0x03, 0x02, 0x00, 0x00]);
    expect(() => publicKeyFromSpki(infinity)).toThrow(CryptoInputError);
    expect(() => assertNotInfinity(Uint8Array.of(0x00))).toThrow(InvalidPublicKeyError);
    expect(() => assertNotInfinity(new Uint8Array(0))).toThrow(InvalidPublicKeyError);
    expect(() => assertNotInfinity(spki.subarray(spki.length - 65))).not.toThrow();
  });
});

describe('ECDSA-SHA256 known answers (signatures made by the OpenSSL CLI with the SGP.26 eUICC keys)', () => {
  for (const { name } of curves) {
    for (const [shape, derHex] of Object.entries(vectors.derSignatures[name])) {
      it(`${name} ${shape}: DER → raw r‖s verifies, and raw → DER gives the same bytes`, () => {
        const { publicKey } = euiccKeys(name);
        const der = hex(derHex);
        const raw = derSignatureToRaw(der);
        expect(raw).toHaveLength(64);
        expect(verifyRaw(publicKey, message, raw)).toBe(true);
        expect(verifyDer(publicKey, message, der)).toBe(true);
        expect(toHex(rawSignatureToDer(raw))).toBe(derHex);
        const tampered = raw.slice();
        tampered[63] = (tampered[63] ?? 0) ^ 1;
        expect(verifyRaw(publicKey, message, tampered)).toBe(false);
      });
    }
  }

  it('left-pads a 31-byte r to 32 bytes (the 1-in-128 case)', () => {
    const raw = derSignatureToRaw(hex(vectors.derSignatures.NIST.shortR ?? ''));
    expect(raw[0]).toBe(0);
    const rawS = derSignatureToRaw(hex(vectors.derSignatures.BRP.shortS ?? ''));
    expect(rawS[32]).toBe(0);
  });
});

describe('real certificates verify through verifyDer (SGP.26 CI and EUM)', () => {
  it.each(curves)('$name: CI self-signature and EUM signature by the CI', ({ name }) => {
    const ci = readSharedSpec(`sgp26/CertificateIssuer/CERT_CI_ECDSA_${name}.der`);
    const ciKey = new X509Certificate(ci).publicKey;
    const self = splitCertificate(ci);
    expect(verifyDer(ciKey, self.tbs, self.signature)).toBe(true);
    const eum = splitCertificate(readSharedSpec(`sgp26/EUM/CERT_EUM_ECDSA_${name}.der`));
    expect(verifyDer(ciKey, eum.tbs, eum.signature)).toBe(true);
    expect(verifyRaw(ciKey, eum.tbs, derSignatureToRaw(eum.signature))).toBe(true);
  });
});

describe('sign and verify round trips', () => {
  it.each(curves)('$name: signRaw gives 64 bytes that verify; signDer gives DER that verifies', ({ name }) => {
    const { privateKey, publicKey } = euiccKeys(name);
    const raw = signRaw(privateKey, message);
    expect(raw).toHaveLength(64);
    expect(verifyRaw(publicKey, message, raw)).toBe(true);
    expect(verifyRaw(publicKey, message.subarray(1), raw)).toBe(false);
    expect(verifyDer(publicKey, message, signDer(privateKey, message))).toBe(true);
  });

  it('KeyObjectSigner implements Signer with the derived public key and curve', () => {
    const { privateKey, publicKey } = euiccKeys('BRP');
    const signer = new KeyObjectSigner(privateKey);
    expect(signer.curve).toBe('brainpoolP256r1');
    expect(toHex(signer.publicKey.export({ format: 'der', type: 'spki' }))).toBe(
      toHex(publicKey.export({ format: 'der', type: 'spki' })),
    );
    expect(verifyRaw(publicKey, message, signer.sign(message))).toBe(true);
    expect(verifyDer(publicKey, message, signer.signDer(message))).toBe(true);
    expect(() => new KeyObjectSigner(publicKey)).toThrow(CryptoInputError);
    expect(() => new KeyObjectSigner(privateKey, euiccKeys('NIST').publicKey)).toThrow(CryptoInputError);
  });

  it('a signature of the wrong length or on the wrong curve does not verify', () => {
    const nist = euiccKeys('NIST');
    const raw = signRaw(nist.privateKey, message);
    expect(verifyRaw(nist.publicKey, message, raw.subarray(1))).toBe(false);
    expect(verifyRaw(euiccKeys('BRP').publicKey, message, raw)).toBe(false);
    expect(verifyDer(nist.publicKey, message, hex('3006020101020101ff'))).toBe(false);
  });
});

describe('raw r‖s ↔ DER ECDSA-Sig-Value conversion', () => {
  it('round-trips any r and s, including leading zero bytes and high bits', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const zeroPrefix = fc.integer({ min: 0, max: 32 });
    fc.assert(
      fc.property(bytes32, bytes32, zeroPrefix, zeroPrefix, (r, s, zr, zs) => {
        r.fill(0, 0, zr);
        s.fill(0, 0, zs);
        const raw = new Uint8Array([...r, ...s]);
        const der = rawSignatureToDer(raw);
        expect(der.length).toBeLessThanOrEqual(72);
        expect(toHex(derSignatureToRaw(der))).toBe(toHex(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the edge values exactly', () => {
    const raw = new Uint8Array(64);
    raw[31] = 1;
    raw[32] = 0x80;
    expect(toHex(rawSignatureToDer(raw))).toBe(`3026020101022100${'80'}${'00'.repeat(31)}`);
  });

  it.each([
    ['not a SEQUENCE', '3106020101020101'],
    ['SEQUENCE length mismatch', '3007020101020101'],
    ['negative INTEGER', '3006020181020101'],
    ['non-minimal INTEGER', '300702020001020101'],
    ['INTEGER too long', `3026022201${'00'.repeat(33)}020101`],
    ['trailing bytes', '3009020101020101020101'],
    ['truncated', '3006020101020501'],
    ['zero-length INTEGER', '30050200020101'],
  ])('rejects %s with SignatureEncodingError', (_title, derHex) => {
    expect(() => derSignatureToRaw(hex(derHex))).toThrow(SignatureEncodingError);
  });

  it('rejects a raw signature that is not 64 bytes', () => {
    expect(() => rawSignatureToDer(new Uint8Array(63))).toThrow(CryptoInputError);
  });
});
