// The eUICC → EUM → CI chain of AuthenticateClient (SGP.22 v2.2.2 §5.6.3) on both curves, with the SGP.26
// certificates and with eUICC certificates re-signed by the SGP.26 EUM's real key, so that the only fault is the
// one under test: a subject key off the curve or at infinity (RFC 5480 §2.2, SGP.22 §2.6.5: the key must be a
// point of the curve), a wrong EUM, an expired certificate, and a changed EUM certificate after the right one was
// cached (the parse cache and pki's signature memo must never let different bytes through).
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '@zkesim/pki';
import { Codes, RspError, type StatusCode } from '@zkesim/protocol';
import { CertificateCache } from './certificateCache.js';
import { verifyEuiccChain } from './euiccChain.js';

// The SGP.26 test PKI beside the repository (as testing's testPki finds it; rsp-server does not depend on testing).
const sgp26 = (file: string): string => fileURLToPath(new URL(`../../../../shared/spec/sgp26/${file}`, import.meta.url));
type Label = 'NIST' | 'BRP';
const labels: readonly Label[] = ['NIST', 'BRP'];
const der = (path: string): Uint8Array => new Uint8Array(readFileSync(sgp26(path)));
const files = (label: Label) => ({
  ci: parseCertificate(der(`CertificateIssuer/CERT_CI_ECDSA_${label}.der`)),
  eum: der(`EUM/CERT_EUM_ECDSA_${label}.der`),
  euicc: der(`eUICC/CERT_EUICC_ECDSA_${label}.der`),
  eumKey: createPrivateKey(readFileSync(sgp26(`EUM/SK_EUM_ECDSA_${label}.pem`))),
});
// Inside the validity of every SGP.26 certificate.
const now = Date.UTC(2025, 0, 1);

// A minimal DER walker for building test certificates (definite lengths only, as DER has).
interface Tlv { tag: number; header: Uint8Array; content: Uint8Array; end: number }
function tlvAt(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset] as number;
  let length = bytes[offset + 1] as number;
  let headerLength = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[offset + 2 + i] as number);
    headerLength += count;
  }
  const start = offset + headerLength;
  return { tag, header: bytes.subarray(offset, start), content: bytes.subarray(start, start + length), end: start + length };
}
function children(content: Uint8Array): Tlv[] {
  const list: Tlv[] = [];
  for (let offset = 0; offset < content.length; offset = (list.at(-1) as Tlv).end) list.push(tlvAt(content, offset));
  return list;
}
function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
}
const whole = (tlv: Tlv): Uint8Array => Uint8Array.from([...tlv.header, ...tlv.content]);
const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

/** The certificate with its subjectPublicKey's BIT STRING contents replaced (after the unused-bits octet), signed anew by `key`. */
function resigned(certificate: Uint8Array, key: ReturnType<typeof createPrivateKey>, point?: (old: Uint8Array) => Uint8Array): Uint8Array {
  const [tbs, algorithm] = children(tlvAt(certificate, 0).content) as [Tlv, Tlv];
  const fields = children(tbs.content);
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  const spki = fields[6] as Tlv;
  const [spkiAlgorithm, bitString] = children(spki.content) as [Tlv, Tlv];
  const newPoint = point === undefined ? bitString.content.subarray(1) : point(bitString.content.subarray(1));
  const newSpki = encodeTlv(0x30, concat([whole(spkiAlgorithm), encodeTlv(0x03, concat([Uint8Array.of(0), newPoint]))]));
  const newTbs = encodeTlv(0x30, concat(fields.map((field, index) => (index === 6 ? newSpki : whole(field)))));
  const signature = new Uint8Array(sign('sha256', newTbs, key));
  return encodeTlv(0x30, concat([newTbs, whole(algorithm), encodeTlv(0x03, concat([Uint8Array.of(0), signature]))]));
}

const code = ({ subjectCode, reasonCode }: StatusCode): StatusCode => ({ subjectCode, reasonCode });

function refusal(run: () => unknown): StatusCode {
  try {
    run();
  } catch (error) {
    if (error instanceof RspError) return { subjectCode: error.subjectCode, reasonCode: error.reasonCode };
    throw error;
  }
  throw new Error('expected the chain to be refused');
}

describe.each(labels)('eUICC chain, SGP.26 %s', (label) => {
  const pki = files(label);
  const check = (euiccCertificate: Uint8Array, options: { eum?: Uint8Array; at?: number; cache?: CertificateCache } = {}) =>
    verifyEuiccChain({
      euiccCertificate,
      eumCertificate: options.eum ?? pki.eum,
      ci: pki.ci,
      crls: [],
      eumCertificates: options.cache ?? new CertificateCache(),
      now: options.at ?? now,
    });

  it('accepts the SGP.26 chain, and the same eUICC certificate re-signed by the EUM (the test helper changes nothing else)', () => {
    expect(check(pki.euicc).eid).toBe(check(resigned(pki.euicc, pki.eumKey)).eid);
  });

  it('refuses a validly signed eUICC certificate whose key is not on the curve (eUICC certificate invalid)', () => {
    const offCurve = resigned(pki.euicc, pki.eumKey, (old) => {
      const point = new Uint8Array(old);
      point[64] = (point[64] as number) ^ 0x01; // Y changed: (X, Y') is not on the curve
      return point;
    });
    expect(refusal(() => check(offCurve))).toEqual(code(Codes.euiccCertificateInvalid));
    const origin = resigned(pki.euicc, pki.eumKey, () => Uint8Array.from([0x04, ...new Uint8Array(64)]));
    expect(refusal(() => check(origin))).toEqual(code(Codes.euiccCertificateInvalid));
  });

  it('refuses a validly signed eUICC certificate whose key is the point at infinity (SEC 1 encoding 00)', () => {
    const infinity = resigned(pki.euicc, pki.eumKey, () => Uint8Array.of(0x00));
    expect(refusal(() => check(infinity))).toEqual(code(Codes.euiccCertificateInvalid));
  });

  it('refuses an EUM certificate whose key is the point at infinity (EUM certificate invalid), before any signature', () => {
    const infinity = resigned(pki.eum, pki.eumKey, () => Uint8Array.of(0x00));
    expect(refusal(() => check(pki.euicc, { eum: infinity }))).toEqual(code(Codes.eumCertificateInvalid));
  });

  it('refuses the chain under the other curve\'s EUM, also after the right EUM was cached', () => {
    const other = files(label === 'NIST' ? 'BRP' : 'NIST');
    const cache = new CertificateCache();
    check(pki.euicc, { cache });
    // The other EUM chains to the other curve's CI, not to the session's: §5.6.3 ciPublicKeyUnknown (8.11.1 / 3.9).
    expect(refusal(() => check(pki.euicc, { eum: other.eum, cache }))).toEqual(code(Codes.ciPublicKeyUnknown));
  });

  it('refuses an eUICC certificate not signed by the EUM it names (signed by the eUICC key itself)', () => {
    const euiccKey = createPrivateKey(readFileSync(sgp26(`eUICC/SK_EUICC_ECDSA_${label}.pem`)));
    expect(refusal(() => check(resigned(pki.euicc, euiccKey)))).toEqual(code(Codes.euiccCertificateInvalid));
  });

  it('refuses an expired EUM certificate and a not yet valid eUICC certificate, also with the EUM from the cache', () => {
    const cache = new CertificateCache();
    check(pki.euicc, { cache });
    const eum = parseCertificate(pki.eum);
    expect(refusal(() => check(pki.euicc, { cache, at: eum.notAfter.getTime() + 1000 }))).toEqual(code(Codes.eumCertificateExpired));
    // Before the eUICC certificate's notBefore (which follows the EUM's in SGP.26) the eUICC certificate is refused first.
    const euicc = parseCertificate(pki.euicc);
    expect(refusal(() => check(pki.euicc, { cache, at: euicc.notBefore.getTime() - 1000 }))).toEqual(code(Codes.euiccCertificateExpired));
    expect(check(pki.euicc, { cache }).eid).toMatch(/^\d{32}$/);
  });

  it('never lets a changed EUM certificate through the cache: one byte of its signature or of its key', () => {
    const cache = new CertificateCache();
    check(pki.euicc, { cache });
    const tamperedSignature = new Uint8Array(pki.eum);
    tamperedSignature[tamperedSignature.length - 5] = (tamperedSignature[tamperedSignature.length - 5] as number) ^ 0x01;
    expect(refusal(() => check(pki.euicc, { eum: tamperedSignature, cache })).subjectCode).toBe(Codes.eumCertificateInvalid.subjectCode);
    // The real one still passes afterwards, and its cached object is the one parsed first.
    expect(cache.parse(pki.eum)).toBe(cache.parse(new Uint8Array(pki.eum)));
    expect(cache.parse(tamperedSignature)).not.toBe(cache.parse(pki.eum));
    expect(check(pki.euicc, { cache }).eid).toMatch(/^\d{32}$/);
  });
});

describe('CertificateCache', () => {
  it('keeps at most maxEntries certificates, the oldest out first, and caches no certificate that failed to parse', () => {
    const cache = new CertificateCache(1);
    const nist = der('EUM/CERT_EUM_ECDSA_NIST.der');
    const brp = der('EUM/CERT_EUM_ECDSA_BRP.der');
    const first = cache.parse(nist);
    expect(cache.parse(nist)).toBe(first);
    cache.parse(brp);
    expect(cache.parse(nist)).not.toBe(first);
    const broken = nist.subarray(0, nist.length - 1);
    expect(() => cache.parse(broken)).toThrow();
    expect(() => cache.parse(broken)).toThrow();
  });
});
