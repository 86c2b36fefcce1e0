// `zkesim conformance smdp` against our SM-DP+ (real HTTPS, the SGP.26 test eUICC played by the runner):
// every case passes, fixtures come from a file (expired and used-up orders, prepared in the SM-DP+'s
// database, profiles with Profile Policy Rules) and over ES2+ (the rest), and the JUnit and HTML reports are written.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport, junitXml, readFixtures, runSmdpConformance, sgp26IdentityFiles, type CaseResult } from '@zkesim/conformance';
import { SECOND_EID, prepareSmdpFixtures } from '@zkesim/testing/conformance/smdpFixtures';
import { writeSecondSgp26Identity } from '@zkesim/testing/conformance/mutantSmdp';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';

let h: Harness;
let results: CaseResult[];
const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
const secondIdentity = () => writeSecondSgp26Identity(dir, SECOND_EID);

beforeAll(async () => {
  h = await startHarness((config) => {
    config.orders.downloadMaxAttempts = 5;
  }, 60);
  const prepared = await prepareSmdpFixtures(h, 5);
  const fixtures = join(dir, 'fixtures.json');
  writeFileSync(fixtures, JSON.stringify({ fixtures: prepared }));
  const port = new URL(h.smdp.es9Url).port;
  const es2Port = new URL(h.smdp.es2Url).port;
  results = await runSmdpConformance({
    url: `https://${smdpHost}:${port}`,
    ciFile: h.pki.ciNist,
    smdpAddress: smdpHost,
    identity: sgp26IdentityFiles(sgp26('')),
    otherIdentity: secondIdentity(),
    fixtures: readFixtures(fixtures),
    resolve: { [smdpHost]: '127.0.0.1' },
    es2: { url: `https://${smdpHost}:${es2Port}`, certificate: h.pki.operatorCert, key: h.pki.operatorKey, requester: 'operator', profileType: 'TS48V1-A-UNIQUE' },
    defaultTimeoutMs: 15_000,
  });
  writeFileSync(join(dir, 'report.html'), htmlReport(results, { title: 'zkesim conformance: smdp', target: 'smdp', generatedAt: new Date() }));
  writeFileSync(join(dir, 'junit.xml'), junitXml(results));
}, 110_000);
afterAll(() => h?.close());

describe('conformance smdp against our SM-DP+', () => {
  it('runs at least 100 cases and every one passes', () => {
    const notPassed = results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`);
    expect(notPassed).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(100);
    for (const result of results) expect(result.checks.length, result.id).toBeGreaterThan(0);
  });
  it('writes the JUnit XML and the self-contained HTML report of the run', () => {
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain(`<testsuite name="zkesim conformance smdp" tests="${results.length}" failures="0" errors="0" skipped="0"`);
    expect(junit).toContain('<testcase classname="smdp" name="ES9+.GetBoundProfilePackage.retrySameOtpk"');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`<span>${results.length} cases</span><span class="pass">${results.length} pass</span><span class="fail">0 fail</span>`);
    expect(html).not.toMatch(/<script|<link|src="http/);
  });
});
