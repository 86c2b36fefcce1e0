// `signing` as the configuration gives it: key files by default, token labels only with kind pkcs11, the
// PKCS#11 settings from the environment too (SMDP_SIGNING_*), the PIN from SMDP_PKCS11_PIN and never from a key.
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRaw } from '@zkesim/protocol';
import { createTestPki } from '@zkesim/testing/smdp/testPki';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { loadConfig, validateConfig } from '../../config.js';
import { openSigningKeys } from './signingKeys.js';

const pki = createTestPki();
afterAll(() => pki.cleanup());

describe('signing keys from the configuration', () => {
  it('signs with the key files by default (software), for the certificate of each role', () => {
    const config = testConfig(pki);
    expect(config.signing).toEqual({ kind: 'software' });
    const keys = openSigningKeys(config, {});
    const data = new TextEncoder().encode('smdpSigned2');
    for (const role of ['dpAuth', 'dpPb'] as const) {
      const { certificate, signer } = keys.credential(0, role);
      expect(verifyRaw(certificate.publicKey, data, signer.sign(data))).toBe(true);
    }
    keys.close();
  });

  it('refuses a token label while the keys are files', () => {
    const config = testConfig(pki, (c) => {
      const [first] = c.credentials;
      if (first !== undefined) first.dpPbKeyLabel = 'dppb';
    });
    expect(() => openSigningKeys(config, {})).toThrow('smdp config credentials[0].dpPbKeyLabel: names a token key: set signing.kind pkcs11 (or remove it)');
  });

  it('needs a key file per role with kind software', () => {
    const config = testConfig(pki, (c) => {
      const [first] = c.credentials;
      if (first !== undefined) delete first.dpAuthKey;
    });
    expect(() => openSigningKeys(config, {})).toThrow('smdp config credentials[0].dpAuthKey: is required with signing.kind software');
  });

  it('reads kind, module and token label from SMDP_SIGNING_*, and has no key for the PIN', () => {
    const config = loadConfig({
      env: { SMDP_SIGNING_KIND: 'pkcs11', SMDP_SIGNING_MODULE: '/usr/lib/softhsm/libsofthsm2.so', SMDP_SIGNING_TOKEN_LABEL: 'zkesim-smdp' },
      dataDir: pki.dir,
    });
    expect(config.signing).toEqual({ kind: 'pkcs11', module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'zkesim-smdp' });
    expect(() => validateConfig({ ...testConfig(pki), signing: { kind: 'pkcs11', module: '/m.so', tokenLabel: 't', pin: '1234' } })).toThrow(/signing/);
    expect(() => openSigningKeys(config, {})).toThrow("smdp config signing.kind: pkcs11 needs the token's user PIN in the environment variable SMDP_PKCS11_PIN");
  });
});
