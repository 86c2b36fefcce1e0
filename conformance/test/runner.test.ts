// The runner's verdict rules: a case passes only when it ran to the end and asserted something; a missing
// fixture or an unmet precondition is inconclusive; a case past its timeout fails naming its last step.
import { describe, expect, it } from 'vitest';
import { FixturePool, htmlReport, junitXml, matchesOnly, progressLine, runCases, exitCodeOf, sgp23, type ConformanceCase } from '../src/index.js';

type Env = { pool: FixturePool };
const pool = new FixturePool([{ kind: 'released', matchingId: 'ONE' }]);

const cases: ConformanceCase<Env>[] = [
  { id: 'A.pass', title: 'asserts and passes', sgp23: sgp23('4.3.12.2.1', 3), run: async (t) => t.equal('value', '1', '1') },
  { id: 'A.nothing', title: 'asserts nothing', run: async () => undefined },
  { id: 'A.fail', title: 'fails', run: async (t) => t.equal('subject / reason', '8.1 / 6.1', '8.2 / 1.2') },
  { id: 'A.hang', title: 'hangs', timeoutMs: 100, run: async (t) => { t.step('waiting for the server'); await new Promise(() => undefined); } },
  { id: 'A.precondition', title: 'precondition', run: async (t) => t.precondition('InitiateAuthentication', async () => { throw new Error('HTTP 500'); }) },
  { id: 'A.fixture1', title: 'takes the one fixture', fixtures: ['released'], run: async (t) => t.ok(true, 'ok') },
  { id: 'A.fixture2', title: 'finds none left', fixtures: ['released'], run: async (t) => t.ok(true, 'ok') },
  { id: 'A.crash', title: 'throws', run: async () => { throw new TypeError('cannot read x'); } },
];

describe('runCases', () => {
  it('gives each case its verdict and precise reason', async () => {
    const results = await runCases(cases, async (testCase) => {
      for (const kind of testCase.fixtures ?? []) await pool.take(kind as 'released');
      return { pool };
    }, { target: 'unit' });
    expect(results.map((result) => [result.id, result.verdict, result.reason])).toEqual([
      ['A.pass', 'pass', ''],
      ['A.nothing', 'inconclusive', 'the case made no assertion'],
      ['A.fail', 'fail', 'subject / reason: expected 8.1 / 6.1, got 8.2 / 1.2'],
      ['A.hang', 'fail', 'no verdict within 100 ms (last step: waiting for the server)'],
      ['A.precondition', 'inconclusive', 'precondition "InitiateAuthentication" not met: HTTP 500'],
      ['A.fixture1', 'pass', ''],
      ['A.fixture2', 'inconclusive', expect.stringMatching(/^fixture "released" .* missing: name one in the fixtures file or give ES2\+ credentials$/)],
      ['A.crash', 'fail', 'cannot read x'],
    ]);
    expect(results[2]).toMatchObject({ expected: '8.1 / 6.1', actual: '8.2 / 1.2' });
    expect(exitCodeOf(results)).toBe(1);
    expect(exitCodeOf(results.filter((result) => result.verdict !== 'fail'))).toBe(0);
    const xml = junitXml(results);
    expect(xml).toContain('<testsuite name="zkesim conformance unit" tests="8" failures="3" errors="0" skipped="3"');
    expect(xml).toContain('<failure message="subject / reason: expected 8.1 / 6.1, got 8.2 / 1.2" type="fail">');
    expect(xml).toContain('<skipped message="inconclusive: the case made no assertion"/>');
  });

  it('names each case\'s SGP.23 identifier, or says no counterpart is claimed, in JUnit, HTML and the progress line', async () => {
    const results = await runCases(cases.filter((testCase) => testCase.id === 'A.pass' || testCase.id === 'A.fail'), async () => ({ pool }), { target: 'unit' });
    const [pass, fail] = results as [(typeof results)[number], (typeof results)[number]];
    expect(pass.sgp23).toBe('4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #03');
    expect(fail.sgp23).toBe('');
    const xml = junitXml(results);
    expect(xml).toContain('<property name="sgp23.version" value="SGP.23 v1.15"/>');
    expect(xml).toMatch(/<testcase classname="unit" name="A\.pass" [^>]*>\n {6}<properties><property name="sgp23" value="4\.3\.12\.2\.1 TC_SM-DP\+_ES9\+\.InitiateAuthenticationNIST #03"\/><\/properties>/);
    expect(xml).toMatch(/<testcase classname="unit" name="A\.fail" [^>]*>\n {6}<properties><property name="sgp23" value="no SGP\.23 counterpart claimed"\/><\/properties>/);
    const html = htmlReport(results, { title: 'unit', target: 'unit', generatedAt: new Date(0) });
    expect(html).toContain('SGP.23 identifiers follow SGP.23 v1.15');
    expect(html).toContain('<div class="sgp23"><b>SGP.23</b> 4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #03</div>');
    expect(html).toContain('<div class="sgp23"><b>SGP.23</b> no SGP.23 counterpart claimed</div>');
    expect(html).toMatch(/<code>A\.pass<\/code> <span class="title">asserts and passes<\/span> <span class="sgp">4\.3\.12\.2\.1 TC_SM-DP\+_ES9\+\.InitiateAuthenticationNIST #03<\/span>/);
    expect(progressLine(pass, 0, 2)).toMatch(/^\[1\/2\] PASS {9}A\.pass \(\d+ ms\) · SGP\.23 4\.3\.12\.2\.1 TC_SM-DP\+_ES9\+\.InitiateAuthenticationNIST #03$/);
    expect(progressLine(fail, 1, 2)).toMatch(/^\[2\/2\] FAIL {9}A\.fail \(\d+ ms\) · no SGP\.23 counterpart claimed\n {6}subject \/ reason: expected 8\.1 \/ 6\.1, got 8\.2 \/ 1\.2$/);
  });

  it('selects cases with --only globs', () => {
    expect(matchesOnly('ES9+.AuthenticateClient.expired', 'ES9+.Authenticate*')).toBe(true);
    expect(matchesOnly('ES9+.AuthenticateClient.expired', 'ES9+.Initiate*,*.expired')).toBe(true);
    expect(matchesOnly('ES9+.AuthenticateClient.expired', 'ES9+.Initiate*')).toBe(false);
    expect(matchesOnly('ES9+.AuthenticateClient.expired', 'expired')).toBe(true);
  });
});
