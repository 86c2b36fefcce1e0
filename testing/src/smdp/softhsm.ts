// A real SoftHSM2 token for one test run: its own configuration and token folder in a temp dir (SOFTHSM2_CONF
// points there, so nothing of the machine's tokens is touched), initialised with softhsm2-util. SoftHSM2
// reads SOFTHSM2_CONF when the library is initialised, so a test file sets it up before it opens a token.
// Without softhsm2 a test skips, except in CI (CI=true), where the missing package fails the run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's softhsm2 (libsofthsm2) installs the PKCS#11 library. */
export const SOFTHSM2_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsm {
  dir: string;
  module: string;
  tokenLabel: string;
  pin: string;
  /** pkcs11-tool (OpenSC) on this token: `pkcs11Tool(['--list-objects'])`. */
  pkcs11Tool(args: string[]): string;
  cleanup(): void;
}

/** Whether SoftHSM2 is installed; in CI its absence is an error, not a reason to skip. */
export function softHsmAvailable(): boolean {
  const available = existsSync(SOFTHSM2_MODULE) && commandExists('softhsm2-util');
  if (!available && process.env.CI === 'true') {
    throw new Error(`SoftHSM2 is missing (${SOFTHSM2_MODULE}, softhsm2-util): .ci/run installs Debian's softhsm2`);
  }
  return available;
}

function commandExists(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Creates a fresh token `tokenLabel` with user PIN `pin`, and points this process's SOFTHSM2_CONF at it. */
export function createSoftHsm(tokenLabel = 'zkesim-smdp', pin = '246810'): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), 'softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`, { mode: 0o600 });
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--so-pin', `${pin}99`, '--pin', pin], { env, stdio: 'pipe' });
  process.env.SOFTHSM2_CONF = conf;
  return {
    dir,
    module: SOFTHSM2_MODULE,
    tokenLabel,
    pin,
    pkcs11Tool: (args) => execFileSync('pkcs11-tool', ['--module', SOFTHSM2_MODULE, '--token-label', tokenLabel, ...args], { env, encoding: 'utf8', stdio: 'pipe' }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
