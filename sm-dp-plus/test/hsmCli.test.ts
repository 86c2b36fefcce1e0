// `zkesim smdp hsm init | import | check` through the real command line on a SoftHSM2 token made for this run,
// with the development PKI's CI: keys generated in the token get certificates that chain to the CI, an existing
// key file moves in, and `check` opens everything as `serve` does (and names a wrong PIN).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRaw } from '@zkesim/protocol';
import { readCertificateFile, readPrivateKeyFile, validateChain } from '@zkesim/pki';
import { createSoftHsm, softHsmAvailable, type SoftHsm } from '@zkesim/testing/smdp/softhsm';
import { Pkcs11Token } from '../src/adapters/pkcs11/pkcs11Token.js';

const run = promisify(execFile);
const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
const available = softHsmAvailable();
let hsm: SoftHsm;
let env: NodeJS.ProcessEnv;

async function smdp(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [zkesim, 'smdp', ...args], { env, cwd: hsm.dir });
  return JSON.parse(stdout) as unknown;
}

beforeAll(async () => {
  if (!available) return;
  hsm = createSoftHsm();
  env = { ...process.env, ZKESIM_DATA_DIR: join(hsm.dir, 'data'), SMDP_PKCS11_PIN: hsm.pin };
  await run(process.execPath, [zkesim, 'pki', 'init', '--dir', 'data/pki'], { env, cwd: hsm.dir });
  writeFileSync(
    join(hsm.dir, 'hsm.yaml'),
    `signing: { kind: pkcs11, module: ${hsm.module}, tokenLabel: ${hsm.tokenLabel} }
credentials:
  - { ciCertificate: data/pki/nist/ci.cert.pem, dpAuthCertificate: data/hsm/dpauth.cert.pem, dpAuthKeyLabel: dpauth,
      dpPbCertificate: data/hsm/dppb.cert.pem, dpPbKeyLabel: dppb }
`,
  );
});
afterAll(() => hsm?.cleanup());

describe.skipIf(!available)('zkesim smdp hsm', () => {
  it('init generates SK.DPauth and SK.DPpb in the token and issues certificates that chain to the CI', async () => {
    const printed = await smdp('hsm', 'init', '--config', 'hsm.yaml', '--ci-certificate', 'data/pki/nist/ci.cert.pem', '--ci-key', 'data/pki/nist/ci.key.pem', '--out-dir', 'data/hsm');
    expect(printed).toMatchObject({ credentials: [{ dpAuthKeyLabel: 'dpauth', dpPbKeyLabel: 'dppb' }] });
    const ci = readCertificateFile(join(hsm.dir, 'data/pki/nist/ci.cert.pem'));
    for (const [file, role] of [['dpauth.cert.pem', 'dpauth'], ['dppb.cert.pem', 'dppb']] as const) {
      const certificate = readCertificateFile(join(hsm.dir, 'data/hsm', file));
      expect(() => validateChain({ certificate, intermediates: [], trustedCis: [ci], role, at: new Date() })).not.toThrow();
    }
    expect(await smdp('hsm', 'check', '--config', 'hsm.yaml')).toEqual([{ credential: 0, dpAuth: 'P-256', dpPb: 'P-256' }]);
  });

  it('import moves an existing key into the token, where it signs for its certificate', async () => {
    const keyFile = join(hsm.dir, 'data/pki/nist/dpauth.key.pem');
    expect(await smdp('hsm', 'import', '--config', 'hsm.yaml', '--label', 'old-dpauth', '--key', keyFile)).toMatchObject({ label: 'old-dpauth', imported: true });
    const token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
    try {
      const data = new TextEncoder().encode('serverSigned1');
      expect(verifyRaw(readPrivateKeyFile(keyFile).publicKey, data, token.signer('old-dpauth').sign(data))).toBe(true);
    } finally {
      token.close();
    }
  });

  it('check names a wrong PIN and does not print it', async () => {
    const failed = await run(process.execPath, [zkesim, 'smdp', 'hsm', 'check', '--config', 'hsm.yaml'], { env: { ...env, SMDP_PKCS11_PIN: '13579' }, cwd: hsm.dir }).catch((error: unknown) => error as { stderr: string; code: number });
    expect(failed).toMatchObject({ code: 1 });
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toContain('wrong PIN (CKR_PIN_INCORRECT)');
    expect(stderr).not.toContain('13579');
  });
});
