// The SGP.23 identifiers the cases carry: each has the documented form and names a test case of sgp23.ts's
// table under its own section; a test sequence is claimed by one case only, except where a case set splits one
// sequence on purpose; the number of cases with an identifier per target is pinned, so removing them fails;
// `--only` selects by identifier as by case id.
import { describe, expect, it } from 'vitest';
import {
  SGP23_PATTERN, SGP23_TEST_CASES, allSmdpCases, euiccCases, parseSgp23, runCases, selectsCase, sgp23, smdsCases, type ConformanceCase,
} from '../src/index.js';

type AnyCase = Pick<ConformanceCase<unknown>, 'id' | 'sgp23'>;
const targets: Record<string, readonly AnyCase[]> = { smdp: allSmdpCases(true), euicc: euiccCases(true), smds: smdsCases() };
const all = Object.values(targets).flat();
const identified = all.filter((testCase) => (testCase.sgp23 ?? '') !== '');

describe('SGP.23 identifiers of the cases', () => {
  it('every non-empty identifier has the documented form and names the test case of its section', () => {
    expect(identified.length).toBeGreaterThan(0);
    for (const testCase of identified) {
      const identifier = testCase.sgp23 as string;
      expect(identifier, testCase.id).toMatch(SGP23_PATTERN);
      const parsed = parseSgp23(identifier);
      expect(parsed, testCase.id).toBeDefined();
      expect(SGP23_TEST_CASES[parsed?.section as keyof typeof SGP23_TEST_CASES], `${testCase.id}: section ${parsed?.section}`).toBe(parsed?.testCase);
    }
  });

  it('pins how many cases per target carry an identifier', () => {
    const counts = Object.fromEntries(Object.entries(targets).map(([target, cases]) => [target, cases.filter((testCase) => (testCase.sgp23 ?? '') !== '').length]));
    // SM-DP+: the ES9+ cases of SGP.23 v1.15 §4.3.12 – §4.3.16. ES2+, the eUICC and the SM-DS: none verified yet.
    expect(counts).toEqual({ smdp: 46, euicc: 0, smds: 0 });
    expect(identified.filter((testCase) => parseSgp23(testCase.sgp23 as string)?.sequence !== undefined)).toHaveLength(29);
  });

  it('claims each test sequence once, except the sequences split on purpose', () => {
    const bySequence = new Map<string, string[]>();
    for (const testCase of identified) {
      if (parseSgp23(testCase.sgp23 as string)?.sequence === undefined) continue;
      bySequence.set(testCase.sgp23 as string, [...(bySequence.get(testCase.sgp23 as string) ?? []), testCase.id]);
    }
    const shared = Object.fromEntries([...bySequence].filter(([, ids]) => ids.length > 1));
    expect(shared).toEqual({
      // The nominal InitiateAuthentication answer, checked one part per case.
      [sgp23('4.3.12.2.1', 1)]: [
        'ES9+.InitiateAuthentication.nominal.transactionId',
        'ES9+.InitiateAuthentication.nominal.serverSigned1',
        'ES9+.InitiateAuthentication.nominal.serverSignature1',
        'ES9+.InitiateAuthentication.nominal.serverCertificate',
        'ES9+.InitiateAuthentication.nominal.euiccCiPKIdToBeUsed',
      ],
      // endUserRejection after AuthenticateClient, and the same then checking the order is closed.
      [sgp23('4.3.16.2.1', 1)]: ['ES9+.CancelSession.afterAuthenticateClient.endUserRejection', 'ES9+.CancelSession.endUserRejection.closesOrder'],
    });
  });

  it('every test case of the table is claimed by a case (no stale entry)', () => {
    const sections = new Set(identified.map((testCase) => parseSgp23(testCase.sgp23 as string)?.section));
    expect(Object.keys(SGP23_TEST_CASES).filter((section) => !sections.has(section))).toEqual([]);
  });

  it('writes identifiers in one form and refuses a sequence out of range', () => {
    expect(sgp23('4.3.12.2.1', 3)).toBe('4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #03');
    expect(sgp23('4.3.13.2.10')).toBe('4.3.13.2.10 TC_SM-DP+_ES9+.GetBoundProfilePackage_ErrorCasesNIST');
    expect(parseSgp23('4.3.14.2.2 TC_SM-DP+_ES9+.AuthenticateClientNIST_ErrorCases #17')).toEqual({ section: '4.3.14.2.2', testCase: 'TC_SM-DP+_ES9+.AuthenticateClientNIST_ErrorCases', sequence: 17 });
    for (const bad of ['TC_SM-DP+_ES9+.InitiateAuthenticationNIST #01', '4.3.12.2.1 InitiateAuthenticationNIST', '4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #1', '']) expect(parseSgp23(bad), bad).toBeUndefined();
    expect(() => sgp23('4.3.12.2.1', 0)).toThrow(RangeError);
    expect(() => sgp23('4.3.12.2.1', 100)).toThrow(RangeError);
  });
});

describe('--only on SGP.23 identifiers', () => {
  const select = (pattern: string) => all.filter((testCase) => selectsCase(testCase, pattern)).map((testCase) => testCase.id);

  it('selects by section, by test case name with its sequence, and still by case id', () => {
    expect(select('4.3.14.2.2')).toHaveLength(12);
    expect(select('TC_SM-DP+_ES9+.InitiateAuthenticationNIST #03')).toEqual(['ES9+.InitiateAuthentication.invalidSmdpAddress']);
    expect(select('*CancelSession_After_GetBoundProfilePackageNIST*')).toEqual(['ES9+.CancelSession.afterBpp.postponed']);
    expect(select('4.3.13.2.10*,ES12.DeleteEvent.*')).toEqual([
      'ES9+.GetBoundProfilePackage.unknownTransactionId', 'ES9+.GetBoundProfilePackage.badEuiccSignature2', 'ES9+.GetBoundProfilePackage.wrongConfirmationCode',
      'ES12.DeleteEvent.nominal', 'ES12.DeleteEvent.otherSmdp',
    ]);
    // A case with no identifier is never selected through one.
    expect(selectsCase({ id: 'X.a' }, 'TC_*')).toBe(false);
  });

  it('runCases runs only the cases --only selects by identifier', async () => {
    const cases: ConformanceCase<null>[] = [
      { id: 'A.one', title: 'one', sgp23: sgp23('4.3.12.2.1', 1), run: async (t) => t.ok(true, 'ok') },
      { id: 'A.two', title: 'two', sgp23: sgp23('4.3.12.2.1', 2), run: async (t) => t.ok(true, 'ok') },
      { id: 'A.three', title: 'three', run: async (t) => t.ok(true, 'ok') },
    ];
    const results = await runCases(cases, async () => null, { target: 'unit', only: 'InitiateAuthenticationNIST #02,A.three' });
    expect(results.map((result) => [result.id, result.sgp23])).toEqual([['A.two', sgp23('4.3.12.2.1', 2)], ['A.three', '']]);
  });
});
