// Key files (PEM PKCS#8, mode 0600), EID check digits, serial numbers, and parser robustness.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from 'node:crypto';
import fc from 'fast-check';
import { eidWithCheckDigits, isValidEid, rawSignatureToDer } from '@zkesim/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../src/certificate/RspCertificate.js';
import { parseCrl } from '../src/crl/RspCrl.js';
import { CertificateFormatError, CertificateRuleError } from '../src/errors.js';
import { validateChain } from '../src/validateChain.js';
import { serialNumberFromRandom } from '../src/issue/issueCertificate.js';
import { generateKeyPair, readSignerFile, writePrivateKeyFile, PRIVATE_KEY_FILE_MODE } from '../src/keys/keyFile.js';
import { loadSgp26Pki, SGP26_EID } from '../src/sgp26.js';
import { SGP26_DIR } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zkesim-pki-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('private key files', () => {
  it.each(['P-256', 'brainpoolP256r1'] as const)('writes %s keys as PKCS#8 PEM with mode 0600 and signs through the Signer', (curve) => {
    const path = join(dir, `${curve}.key.pem`);
    const keys = generateKeyPair(curve);
    writePrivateKeyFile(path, keys.privateKey);
    expect(statSync(path).mode & 0o777).toBe(PRIVATE_KEY_FILE_MODE);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const signer = readSignerFile(path);
    expect(signer.curve).toBe(curve);
    const data = new TextEncoder().encode('euiccSigned1');
    const raw = signer.sign(data);
    expect(raw).toHaveLength(64);
    expect(verify('sha256', data, keys.publicKey, rawSignatureToDer(raw))).toBe(true);
  });

  it('refuses to overwrite a key file unless asked, and tightens a loose mode when it does', () => {
    const path = join(dir, 'existing.key.pem');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    const keys = generateKeyPair('P-256');
    expect(() => writePrivateKeyFile(path, keys.privateKey)).toThrow(/EEXIST/);
    writePrivateKeyFile(path, keys.privateKey, { overwrite: true });
    expect(statSync(path).mode & 0o777).toBe(PRIVATE_KEY_FILE_MODE);
  });
});

describe('EID check digits (ISO 7064 MOD 97-10)', () => {
  it('accepts the SGP.26 EID and computes check digits that validate', () => {
    expect(isValidEid(SGP26_EID)).toBe(true);
    expect(eidWithCheckDigits(SGP26_EID.slice(0, 30))).toBe(SGP26_EID);
    expect(isValidEid('89049032123451234512345678901234')).toBe(false);
  });
});

describe('serial numbers (RFC 5280 §4.1.2.2)', () => {
  it('are positive and minimal whatever the random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 20 }), (random) => {
        const serial = serialNumberFromRandom(random);
        expect((serial[0] ?? 0) & 0x80).toBe(0);
        expect(serial[0]).not.toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parser robustness', () => {
  const pki = loadSgp26Pki(SGP26_DIR, 'nist');
  const der = pki.euicc.certificate.der;

  // A damaged certificate either fails to parse with CertificateFormatError, or parses and then fails
  // validation with a CertificateRuleError; nothing else is thrown, and it never validates.
  it('refuses truncated, extended or spliced certificates with typed errors only', () => {
    fc.assert(
      fc.property(fc.nat({ max: der.length - 1 }), fc.uint8Array({ maxLength: 4 }), (cut, tail) => {
        const damaged = new Uint8Array([...der.subarray(0, cut), ...tail]);
        fc.pre(Buffer.compare(Buffer.from(damaged), Buffer.from(der)) !== 0);
        let parsed;
        try {
          parsed = parseCertificate(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(CertificateFormatError);
          return;
        }
        const at = new Date('2026-11-25T12:00:00Z');
        const check = () => validateChain({ certificate: parsed, intermediates: [pki.eum.certificate], trustedCis: [pki.ci.certificate], role: 'euicc', at });
        expect(check).toThrow(CertificateRuleError);
      }),
      { numRuns: 200 },
    );
    expect(() => parseCertificate(new Uint8Array([...der, 0]))).toThrow(/trailing/);
    // The EUM's signature ends in 0x10, so an unused-bits count of 1 is still valid DER for a BIT STRING;
    // the lenient field parser would ignore it and the signature would verify.
    const eum = pki.eum.certificate.der;
    const unusedBitsOffset = eum.findIndex((byte, offset) => byte === 0x03 && offset + 2 + (eum[offset + 1] ?? 0) === eum.length) + 2;
    expect(eum[eum.length - 1]).toBe(0x10);
    const padded = new Uint8Array(eum);
    padded[unusedBitsOffset] = 1;
    expect(() => parseCertificate(padded)).toThrow(/signature has 1 unused bits/);
    expect(() => parseCrl(der)).toThrow(CertificateFormatError);
  });
});
