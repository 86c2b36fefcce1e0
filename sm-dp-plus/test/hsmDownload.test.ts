// A complete download (SGP.22 v2.2.2 §3.1.3) with SK.DPauth and SK.DPpb only in a PKCS#11 token (SoftHSM2,
// created for this run): the keys are generated inside the token, CERT.DPauth and CERT.DPpb issued for them by
// the SGP.26 test CI, and the SM-DP+ is configured with token labels and no key file. The software eUICC
// accepts serverSignature1 (AuthenticateServer) and smdpSignature2 (PrepareDownload) and installs the BPP whose
// initialiseSecureChannel the token signed. Start-up refuses a wrong PIN and a missing key label.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticateServerResponse, PrepareDownloadResponse, encodeTlv, encodeUncompressedPoint, iccidToBytes, readTlv, verifyRaw, type IccidDigits } from '@zkesim/protocol';
import { developmentOids, loadEntity, toPem, type RspCertificate } from '@zkesim/pki';
import { systemRandom } from '@zkesim/rsp-server';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { createSoftHsm, softHsmAvailable, type SoftHsm } from '@zkesim/testing/smdp/softhsm';
import { createTestPki, sgp26 } from '@zkesim/testing/smdp/testPki';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { startSmdpServer, type SmdpConfig } from '../src/index.js';
import { Pkcs11Token } from '../src/adapters/pkcs11/pkcs11Token.js';
import { issueTokenCredentials } from '../src/adapters/pkcs11/tokenCredentials.js';
import { PKCS11_PIN_VARIABLE } from '../src/adapters/signing/signingKeys.js';

const available = softHsmAvailable();
let hsm: SoftHsm;
let h: Harness;
let issued: { dpAuth: RspCertificate; dpPb: RspCertificate };
let certificateFiles: { dpAuth: string; dpPb: string };

/** The SM-DP+ configuration with keys in the token: labels, no dpAuthKey / dpPbKey. */
function inToken(config: SmdpConfig, labels = { dpAuth: 'dpauth', dpPb: 'dppb' }): void {
  config.signing = { kind: 'pkcs11', module: hsm.module, tokenLabel: hsm.tokenLabel };
  config.credentials = [
    { ciCertificate: sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der'), dpAuthCertificate: certificateFiles.dpAuth, dpAuthKeyLabel: labels.dpAuth, dpPbCertificate: certificateFiles.dpPb, dpPbKeyLabel: labels.dpPb },
  ];
}

beforeAll(async () => {
  if (!available) return;
  hsm = createSoftHsm();
  const token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  try {
    const ci = loadEntity(sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem'), sgp26('CertificateIssuer/SK_CI_ECDSA_NIST.pem'));
    issued = issueTokenCredentials({
      token, ci, curve: 'P-256', labels: { dpAuth: 'dpauth', dpPb: 'dppb' }, registeredId: developmentOids.smdpPlus, organization: 'zkesim', now: new Date(Date.now() - 60_000), validityDays: 30, random: systemRandom,
    });
  } finally {
    token.close();
  }
  certificateFiles = { dpAuth: join(hsm.dir, 'dpauth.cert.pem'), dpPb: join(hsm.dir, 'dppb.cert.pem') };
  writeFileSync(certificateFiles.dpAuth, toPem(issued.dpAuth.der, 'CERTIFICATE'));
  writeFileSync(certificateFiles.dpPb, toPem(issued.dpPb.der, 'CERTIFICATE'));
  process.env[PKCS11_PIN_VARIABLE] = hsm.pin;
  h = await startHarness((config) => inToken(config));
});
afterAll(async () => {
  await h?.close();
  delete process.env[PKCS11_PIN_VARIABLE];
  hsm?.cleanup();
});

describe.skipIf(!available)('download with SK.DPauth and SK.DPpb in a PKCS#11 token', () => {
  it('the eUICC accepts the token-made signatures and installs the profile', async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'HSM-DOWNLOAD-1' })) as IccidDigits;
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    // authenticateResponseOk: the card checked CERT.DPauth (token key) and serverSignature1 made in the token.
    expect(Object.keys(AuthenticateServerResponse.decode(await lpa.authenticateServer('HSM-DOWNLOAD-1')))).toEqual(['authenticateResponseOk']);
    await lpa.authenticateClient();
    // downloadResponseOk: CERT.DPpb and smdpSignature2, made in the token.
    expect(Object.keys(PrepareDownloadResponse.decode(await lpa.prepareDownload()))).toEqual(['downloadResponseOk']);
    await lpa.getBoundProfilePackage();
    // initialiseSecureChannel's smdpSign (§5.5.1, SK.DPpb) verifies with the issued CERT.DPpb's public key.
    const bf23 = readTlv(readTlv(lpa.boundProfilePackage).value).value;
    const cardOneTimeKey = lpa.recording.oneTimeKeys.at(-1);
    const tbs = new Uint8Array([...bf23.subarray(0, bf23.length - 67), ...encodeTlv(0x5f49, cardOneTimeKey?.publicPoint ?? new Uint8Array())]);
    expect(verifyRaw(issued.dpPb.publicKey, tbs, lpa.initialiseSecureChannel().smdpSign)).toBe(true);
    expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  });

  it('holds no private key: the configuration names labels only, no file of the run holds a key, the token refuses to export', () => {
    const credential = h.smdp.es9plus.context.credentials[0];
    expect(credential?.dpAuth).not.toHaveProperty('privateKey');
    expect(credential?.dpPb).not.toHaveProperty('privateKey');
    expect(encodeUncompressedPoint(credential?.dpAuth.signer.publicKey ?? issued.dpPb.publicKey)).toEqual(encodeUncompressedPoint(issued.dpAuth.publicKey));
    let keyFiles = 0;
    for (const dir of [h.pki.dir, hsm.dir]) {
      for (const file of listFiles(dir).filter((path) => !path.includes('/tokens/'))) {
        const text = readFileSync(file, 'latin1');
        if (!text.includes('PRIVATE KEY')) continue;
        // The private keys on disk are the test PKI's TLS and operator keys; none is DPauth's or DPpb's.
        const publicKey = createPublicKey(createPrivateKey(text));
        expect(publicKey.equals(issued.dpAuth.publicKey) || publicKey.equals(issued.dpPb.publicKey)).toBe(false);
        keyFiles += 1;
      }
    }
    expect(keyFiles).toBeGreaterThan(0);
    // Made in the token (CKA_LOCAL), always sensitive, never extractable: as OpenSC's pkcs11-tool reads the attributes.
    for (const label of ['dpauth', 'dppb']) {
      const listing = hsm.pkcs11Tool(['--login', '--pin', hsm.pin, '--list-objects', '--type', 'privkey', '--label', label]);
      expect(listing).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
    }
  });

  it('refuses to start with a wrong PIN, naming the problem and not the PIN', async () => {
    await h.close();
    process.env[PKCS11_PIN_VARIABLE] = '000000';
    const pki = createTestPki();
    try {
      await expect(startSmdpServer(testConfig(pki, (config) => inToken(config)))).rejects.toThrow(`smdp config signing: login to PKCS#11 token "${hsm.tokenLabel}" failed: wrong PIN (CKR_PIN_INCORRECT)`);
    } finally {
      process.env[PKCS11_PIN_VARIABLE] = hsm.pin;
      pki.cleanup();
    }
    h = await startHarness((config) => inToken(config));
  });

  it('refuses to start when a key label is not in the token, before any download', async () => {
    const pki = createTestPki();
    try {
      await expect(startSmdpServer(testConfig(pki, (config) => inToken(config, { dpAuth: 'dpauth', dpPb: 'dppb-missing' })))).rejects.toThrow(
        'smdp config credentials[0].dpPbKeyLabel: the token has no private key labelled "dppb-missing": expected exactly one',
      );
    } finally {
      pki.cleanup();
    }
  });

  it('refuses a key file beside the token labels, and a missing PIN variable', async () => {
    const pki = createTestPki();
    try {
      const withFile = (config: SmdpConfig): void => {
        inToken(config);
        const [first] = config.credentials;
        if (first !== undefined) first.dpAuthKey = sgp26('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem');
      };
      await expect(startSmdpServer(testConfig(pki, withFile))).rejects.toThrow('credentials[0].dpAuthKey: names a key file while signing.kind is pkcs11');
      delete process.env[PKCS11_PIN_VARIABLE];
      await expect(startSmdpServer(testConfig(pki, (config) => inToken(config)))).rejects.toThrow(`pkcs11 needs the token's user PIN in the environment variable ${PKCS11_PIN_VARIABLE}`);
    } finally {
      process.env[PKCS11_PIN_VARIABLE] = hsm.pin;
      pki.cleanup();
    }
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
