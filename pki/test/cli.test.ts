// `zkesim pki ...`: once through the real entry point (bin/zkesim.js) as an operator runs it, the rest
// in-process through the same commander registration (a process start costs ~2 s on the CI machine).
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerCommands } from '../src/cli.js';
import { SGP26_DIR } from './helpers.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zkesim-pki-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zkesimProcess(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repo, 'bin/zkesim.js'), 'pki', ...args], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `zkesim pki ...args` in this process; a thrown error counts as exit 1 with its message on stderr. */
async function zkesim(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const program = new Command('zkesim').exitOverride();
  registerCommands(program);
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const previous = process.exitCode;
  process.exitCode = undefined;
  let stderr = '';
  try {
    await program.parseAsync(['node', 'zkesim', 'pki', ...args]);
  } catch (error) {
    stderr = error instanceof Error ? error.message : String(error);
    process.exitCode = 1;
  } finally {
    spy.mockRestore();
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = previous;
  return { status, stdout: written.join(''), stderr };
}

const sgp26 = (file: string) => join(SGP26_DIR, file);

describe('zkesim pki', () => {
  it('init writes a hierarchy, prints the files, and refuses a second run without --force', async () => {
    const first = await zkesim('init', '--dir', dir, '--curve', 'nist');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/wrote nist\/euicc\.key\.pem/);
    expect(first.stdout).toMatch(/wrote pki\.json/);
    const second = await zkesim('init', '--dir', dir, '--curve', 'nist');
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/--force/);
  });

  it('verify prints the SGP.26 brainpool eUICC chain as JSON and exits 0', () => {
    const result = zkesimProcess('verify', '--ci', sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.der'), '--at', '2026-11-25T12:00:00Z', sgp26('eUICC/CERT_EUICC_ECDSA_BRP.der'), sgp26('EUM/CERT_EUM_ECDSA_BRP.der'));
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { valid: boolean; role: string; chain: { eid?: string }[] };
    expect(output).toMatchObject({ valid: true, role: 'euicc' });
    expect(output.chain).toHaveLength(3);
    expect(output.chain[0]?.eid).toBe('89049032123451234512345678901235');
  });

  it('verify exits 1 with the rule and reason code for an expired certificate and for a wrong role', async () => {
    const dpauth = sgp26('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der');
    const ci = sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
    const expired = await zkesim('verify', '--ci', ci, '--at', '2031-01-01T00:00:00Z', dpauth);
    expect(expired.status).toBe(1);
    expect(JSON.parse(expired.stdout)).toMatchObject({ rule: 'validity', reasonCode: '6.3' });
    const wrongRole = await zkesim('verify', '--ci', ci, '--at', '2026-11-25T12:00:00Z', '--role', 'dppb', dpauth);
    expect(wrongRole.status).toBe(1);
    expect(JSON.parse(wrongRole.stdout)).toMatchObject({ rule: 'role-policy', reasonCode: '6.1' });
  });

  it('verify exits 1 with rule format or signature for a damaged file, and init refuses an EID outside the EINs', async () => {
    const damaged = join(dir, 'damaged.der');
    const original = readFileSync(sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der'));
    const seconds = original.indexOf('200401') + 11; // last digit of notBefore's seconds
    original[seconds] = (original[seconds] ?? 0) ^ 0x01;
    writeFileSync(damaged, original);
    const result = await zkesim('verify', '--ci', sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.der'), '--at', '2026-11-25T12:00:00Z', damaged);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ reasonCode: '6.1' });
    expect(['format', 'signature']).toContain((JSON.parse(result.stdout) as { rule: string }).rule);
    const outside = await zkesim('init', '--dir', join(dir, 'outside'), '--curve', 'nist', '--ein', '89001012', '--eid', '89049032123451234512345678901235');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toMatch(/outside the permitted EINs/);
  });

  it('revoke adds a certificate to the CI CRL and verify then fails with rule revoked', async () => {
    const nist = join(dir, 'nist');
    const crl = join(dir, 'revoked.crl');
    const issued = await zkesim('issue-crl', '--issuer-cert', join(nist, 'ci.cert.der'), '--issuer-key', join(nist, 'ci.key.pem'), '--out', crl);
    expect(issued.status).toBe(0);
    const revoked = await zkesim('revoke', '--crl', crl, '--issuer-cert', join(nist, 'ci.cert.pem'), '--issuer-key', join(nist, 'ci.key.pem'), '--cert', join(nist, 'dptls.cert.pem'));
    expect(revoked.stdout).toMatch(/cRLNumber 2, 1 revoked/);
    const result = await zkesim('verify', '--ci', join(nist, 'ci.cert.pem'), '--crl', crl, '--role', 'dptls', join(nist, 'dptls.cert.pem'));
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ rule: 'revoked', reasonCode: '6.1', certificateIndex: 0 });
  });
});
