// `zkesim conformance smds` against our SM-DS (real HTTPS and mutual TLS, a development PKI, the PKI's
// eUICC played by the runner, ES12 with the PKI's CERT.DPtls and a second SM-DP+'s): every case passes,
// and without SM-DP+ credentials the ES12 cases are inconclusive, never pass.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmdsConformance, type CaseResult } from '@zkesim/conformance';
import { createSmdsLab, freePort, type SmdsLab } from '@zkesim/testing/smds/lab';

let lab: SmdsLab;
let address: string;
let peerAddress: string;
const files = (name: string) => ({ certificate: join(lab.pkiDir, 'nist', `${name}.cert.pem`), key: join(lab.pkiDir, 'nist', `${name}.key.pem`) });
const run = (withEs12: boolean): Promise<CaseResult[]> =>
  runSmdsConformance({
    url: `https://${address}`,
    es12Url: `https://${peerAddress}`,
    ciFile: lab.ciPemPath,
    identity: { euiccCertificate: files('euicc').certificate, eumCertificate: files('eum').certificate, euiccKey: files('euicc').key },
    resolve: { localhost: '127.0.0.1' },
    ...(withEs12 ? { smdp: files('dptls'), otherSmdp: files(lab.issueDpTls('other-smdp.example')), wrongRole: files('dstls') } : {}),
    defaultTimeoutMs: 15_000,
  });

const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [zkesim, 'conformance', 'smds', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  lab = createSmdsLab();
  ({ address, peerAddress } = await lab.startSmds('conformance'));
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

describe('conformance smds against our SM-DS', () => {
  it('runs at least 15 cases and every one passes, each having asserted something', async () => {
    const results = await run(true);
    expect(results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(15);
    for (const result of results) expect(result.checks.length, result.id).toBeGreaterThan(0);
    // Our SM-DS refuses a caller without a certificate at the handshake (mutual TLS on ES12), and a certificate
    // of another role under its CI in the answer: the cases saw both.
    const checks = (id: string) => results.find((result) => result.id === id)?.checks ?? [];
    expect(checks('ES12.RegisterEvent.noClientCertificate').join('\n')).toMatch(/^the SM-DS refused the TLS handshake/m);
    expect(checks('ES12.RegisterEvent.wrongRole')).toContain('RegisterEvent statusCodeData (subject / reason) = 1.1 / 1.2');
  }, 60_000);

  it('does not take an ES12 port where nothing listens for a refused handshake: the no-certificate case does not pass', async () => {
    const results = await runSmdsConformance({
      url: `https://${address}`,
      es12Url: `https://localhost:${await freePort()}`,
      ciFile: lab.ciPemPath,
      identity: { euiccCertificate: files('euicc').certificate, eumCertificate: files('eum').certificate, euiccKey: files('euicc').key },
      resolve: { localhost: '127.0.0.1' },
      only: 'ES12.RegisterEvent.noClientCertificate',
      defaultTimeoutMs: 15_000,
    });
    expect(results.map((result) => [result.id, result.verdict])).toEqual([['ES12.RegisterEvent.noClientCertificate', 'fail']]);
  }, 60_000);

  it('without SM-DP+ credentials the ES12 cases that need them are inconclusive', async () => {
    const results = await run(false);
    const inconclusive = results.filter((result) => result.verdict === 'inconclusive').map((result) => result.id);
    expect(inconclusive.sort()).toEqual(
      ['ES12.DeleteEvent.nominal', 'ES12.DeleteEvent.otherSmdp', 'ES12.RegisterEvent.conflict', 'ES12.RegisterEvent.malformedAddress', 'ES12.RegisterEvent.nominal', 'ES12.RegisterEvent.retried', 'ES12.RegisterEvent.wrongRole'].sort(),
    );
    expect(results.filter((result) => result.verdict === 'fail')).toEqual([]);
  }, 60_000);

  it('zkesim conformance smds: ES12 with --smdp-cert/--smdp-key, JUnit and HTML written, exit 0; a wrong --smds-address fails and exits 1', async () => {
    const junit = join(lab.dir, 'smds.xml');
    const html = join(lab.dir, 'smds.html');
    const card = ['--ci', lab.ciPemPath, '--euicc-cert', files('euicc').certificate, '--eum-cert', files('eum').certificate, '--euicc-key', files('euicc').key, '--resolve', 'localhost=127.0.0.1'];
    const passed = await cli(['--url', `https://${address}`, '--es12-url', `https://${peerAddress}`, ...card, '--smdp-cert', files('dptls').certificate, '--smdp-key', files('dptls').key, '--only', 'ES11.*,ES12.RegisterEvent.*', '--wrong-role-cert', files('dstls').certificate, '--wrong-role-key', files('dstls').key, '--junit', junit, '--html', html]);
    expect(passed.stderr).toBe('');
    expect(passed.stdout).toMatch(/^\[ 1\/18\] PASS {9}ES11\.InitiateAuthentication\.nominal\.serverSigned1 \(\d+ ms\) · no SGP\.23 counterpart claimed$/m);
    expect(passed.stdout).toContain('18 cases: 18 pass, 0 fail, 0 inconclusive');
    expect(passed.code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toContain('tests="18" failures="0" errors="0" skipped="0"');
    expect(readFileSync(html, 'utf8')).toContain('<code>ES12.RegisterEvent.conflict</code>');
    const failed = await cli(['--url', `https://${address}`, ...card, '--smds-address', 'lpa.ds.example.com', '--only', 'ES11.InitiateAuthentication.nominal.serverSigned1']);
    expect(failed.stdout).toMatch(/FAIL {9}ES11\.InitiateAuthentication\.nominal\.serverSigned1 .*\n\s+InitiateAuthentication functionExecutionStatus\.status: expected Executed-Success, got Failed \(8\.9\.1 \/ 3\.8\)/);
    expect(failed.code).toBe(1);
  }, 60_000);
});
