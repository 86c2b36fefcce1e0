// `zkesim conformance smdp` as an operator runs it: a live progress line per case, the JUnit and HTML files,
// exit status 0 when nothing fails and 1 when a case fails.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';

const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));

function run(args: string[], command: string[] = ['conformance', 'smdp']): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [zkesim, ...command, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  h = await startHarness(() => undefined, 2);
});
afterAll(() => h?.close());

describe('zkesim conformance smdp', () => {
  const common = () => [
    '--url', `https://${smdpHost}:${new URL(h.smdp.es9Url).port}`,
    '--resolve', `${smdpHost}=127.0.0.1`,
    '--ci', h.pki.ciNist,
    '--sgp26', sgp26(''),
    // ES9+.AuthenticateClient.expired selected by its SGP.23 identifier.
    '--only', 'ES9+.InitiateAuthentication.nominal.*,ES9+.AuthenticateClient.unknownMatchingId,AuthenticateClientNIST_ErrorCases #16',
  ];

  it('passes the selected cases, leaves the one without fixture inconclusive, writes JUnit and HTML, exits 0', async () => {
    const junit = join(dir, 'pass.xml');
    const html = join(dir, 'pass.html');
    const result = await run([...common(), '--smdp-address', smdpHost, '--junit', junit, '--html', html]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\[1\/8\] PASS {9}ES9\+\.InitiateAuthentication\.nominal\.transactionId \(\d+ ms\) · SGP\.23 4\.3\.12\.2\.1 TC_SM-DP\+_ES9\+\.InitiateAuthenticationNIST #01$/m);
    expect(result.stdout).toMatch(/INCONCLUSIVE ES9\+\.AuthenticateClient\.expired .*\n\s+fixture "expired" \(released order whose time to live has passed\) missing/);
    expect(result.stdout).toContain('8 cases: 7 pass, 0 fail, 1 inconclusive');
    expect(result.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="8" failures="0" errors="0" skipped="1"');
    expect(xml).toMatch(/name="ES9\+\.AuthenticateClient\.expired" [^>]*>\n {6}<properties><property name="sgp23" value="4\.3\.14\.2\.2 TC_SM-DP\+_ES9\+\.AuthenticateClientNIST_ErrorCases #16"\/>/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<span class="v pass">pass</span> <code>ES9+.InitiateAuthentication.nominal.serverSignature1</code>');
    expect(page).toContain('<div class="sgp23"><b>SGP.23</b> 4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #02</div>');
    expect(page).not.toMatch(/<script|<link|src="http/);
  });

  it('exits 1 when a case fails, saying why', async () => {
    // The SM-DP+ knows itself as testsmdpplus1.example.com: sending host:port as the address fails the nominal cases.
    const result = await run([...common(), '--junit', join(dir, 'fail.xml')]);
    expect(result.stdout).toMatch(/FAIL {9}ES9\+\.InitiateAuthentication\.nominal\.transactionId .*\n\s+InitiateAuthentication functionExecutionStatus\.status: expected Executed-Success, got Failed \(8\.8\.1 \/ 3\.8\)/);
    expect(result.code).toBe(1);
    expect(existsSync(join(dir, 'fail.xml'))).toBe(true);
  });

  it('refuses half of the eUICC credentials', async () => {
    const result = await run([...common(), '--euicc-cert', sgp26('eUICC/CERT_EUICC_ECDSA_NIST.der')]);
    expect(result.stderr).toContain('--euicc-cert, --eum-cert and --euicc-key go together');
    expect(result.code).toBe(1);
  });

  it('zkesim conformance euicc runs the eUICC cases against a sim: card and passes them', async () => {
    const state = join(dir, 'card.db');
    expect((await run(['--state', state, '--sgp26', sgp26('')], ['euicc', 'create'])).code).toBe(0);
    const result = await run(['--euicc', `sim:${state}`, '--sgp26', sgp26(''), '--junit', join(dir, 'euicc.xml')], ['conformance', 'euicc']);
    expect(result.stderr).toBe('');
    // A new card holds no notification: the two cases that check pending notifications say so.
    expect(result.stdout).toMatch(/^\d+ cases: (\d+) pass, 0 fail, 2 inconclusive$/m);
    expect(result.stdout).toMatch(/INCONCLUSIVE ES10b\.RetrieveNotificationsList\.signatures .*\n\s+the card holds no pending notification to check/);
    expect(Number(/^(\d+) cases/m.exec(result.stdout)?.[1])).toBeGreaterThanOrEqual(50);
    expect(result.code).toBe(0);
  });
});
