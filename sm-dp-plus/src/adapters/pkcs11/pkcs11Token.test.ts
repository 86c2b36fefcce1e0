// The PKCS#11 signer on a real SoftHSM2 token made for this run: ECDSA with CKM_ECDSA on both RSP curves
// (SGP.22 v2.2.2 §2.6.5), signatures checked with node:crypto against the certificate's public key, and the
// failures an operator meets at start-up (wrong PIN, unknown token, missing key) as clear errors.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUncompressedPoint, verifyRaw, type CurveName } from '@zkesim/protocol';
import { parseCertificate, readPrivateKeyFile } from '@zkesim/pki';
import { createSoftHsm, softHsmAvailable, type SoftHsm } from '@zkesim/testing/smdp/softhsm';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { Pkcs11Token, Pkcs11TokenError } from './pkcs11Token.js';

const available = softHsmAvailable();
let hsm: SoftHsm;
let token: Pkcs11Token;

beforeAll(() => {
  if (!available) return;
  hsm = createSoftHsm();
  token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
});
afterAll(() => {
  token?.close();
  hsm?.cleanup();
});

const message = new TextEncoder().encode('serverSigned1 stand-in: whatever bytes the SM-DP+ signs');

describe.skipIf(!available)('PKCS#11 signer on SoftHSM2', () => {
  it.each<[CurveName, string]>([
    ['P-256', 'gen-nist'],
    ['brainpoolP256r1', 'gen-brp'],
  ])('signs with a key generated in the token on %s, raw r‖s that node:crypto verifies', (curve, label) => {
    const generated = token.generateKeyPair(label, new TextEncoder().encode(label), curve);
    const signer = token.signer(label);
    expect(signer.curve).toBe(curve);
    const signature = signer.sign(message);
    expect(signature).toHaveLength(64);
    expect(verifyRaw(generated.publicKey, message, signature)).toBe(true);
    expect(verifyRaw(generated.publicKey, new TextEncoder().encode('other bytes'), signature)).toBe(false);
    // The public key we read is the token's own: OpenSC's pkcs11-tool exports the same one (SPKI DER).
    const exported = join(hsm.dir, `${label}.spki.der`);
    hsm.pkcs11Tool(['--read-object', '--type', 'pubkey', '--label', label, '--output-file', exported]);
    expect(generated.publicKey.equals(createPublicKey({ key: readFileSync(exported), format: 'der', type: 'spki' }))).toBe(true);
  });

  it.each<[string, string, string]>([
    ['NIST', 'DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem', 'DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der'],
    ['BRP', 'DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem', 'DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der'],
  ])('imports an SGP.26 %s key; its signatures verify with the certificate public key', (name, keyFile, certificateFile) => {
    const { privateKey, publicKey } = readPrivateKeyFile(sgp26(keyFile));
    const label = `imported-${name}`;
    token.importKeyPair(label, new TextEncoder().encode(label), privateKey, publicKey);
    const certificate = parseCertificate(readFileSync(sgp26(certificateFile)));
    const signer = token.signer(label);
    expect(encodeUncompressedPoint(signer.publicKey)).toEqual(encodeUncompressedPoint(certificate.publicKey));
    for (let i = 0; i < 8; i += 1) {
      const data = new TextEncoder().encode(`${name} ${i}`);
      expect(verifyRaw(certificate.publicKey, data, signer.sign(data))).toBe(true);
    }
    // Stored sensitive: the token will not hand the private value out (CKA_SENSITIVE, CKA_EXTRACTABLE false).
    const listing = hsm.pkcs11Tool(['--login', '--pin', hsm.pin, '--list-objects', '--type', 'privkey', '--label', label]);
    expect(listing).toMatch(/Access:\s+sensitive/);
  });

  it('refuses to store a second key under a label in use', () => {
    const { privateKey, publicKey } = readPrivateKeyFile(sgp26('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem'));
    expect(() => token.importKeyPair('gen-nist', new Uint8Array([1]), privateKey, publicKey)).toThrow(/already holds objects labelled "gen-nist"/);
  });

  it('names a missing key label', () => {
    expect(() => token.signer('no-such-key')).toThrow(Pkcs11TokenError);
    expect(() => token.signer('no-such-key')).toThrow('the token has no private key labelled "no-such-key": expected exactly one');
  });

  it('says "wrong PIN" for a wrong PIN, without the PIN in the message', () => {
    // Login is per process and token (PKCS#11 v2.40 §5.6): the PIN is checked when no session is logged in.
    token.close();
    const wrong = '999999';
    const error = catchError(() => Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: wrong }));
    expect(error).toBeInstanceOf(Pkcs11TokenError);
    expect(error.message).toBe(`login to PKCS#11 token "${hsm.tokenLabel}" failed: wrong PIN (CKR_PIN_INCORRECT)`);
    expect(error.message).not.toContain(wrong);
    token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
    expect(verifyRaw(token.findKey('gen-nist').publicKey, message, token.signer('gen-nist').sign(message))).toBe(true);
  });

  it('lists the tokens present when the label matches none', () => {
    expect(() => Pkcs11Token.open({ module: hsm.module, tokenLabel: 'absent', pin: hsm.pin })).toThrow(`no PKCS#11 token labelled "absent" (tokens present: "${hsm.tokenLabel}")`);
  });

  it('says which module cannot be loaded', () => {
    expect(() => Pkcs11Token.open({ module: '/nonexistent/libpkcs11.so', tokenLabel: hsm.tokenLabel, pin: hsm.pin })).toThrow(/^cannot load the PKCS#11 module \/nonexistent\/libpkcs11\.so/);
  });

});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
