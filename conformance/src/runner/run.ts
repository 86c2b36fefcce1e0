// Runs cases one after another, each under its own timeout, turning every outcome into a verdict: the
// runner itself never throws because a server hung, dropped a connection or answered garbage.
import { CaseContext, CaseFailed, CaseInconclusive, messageOf, type CaseResult, type ConformanceCase } from './model.js';

export interface RunOptions {
  /** Target name in the reports (`smdp`, `euicc`, `smds`). */
  readonly target: string;
  /** Comma-separated globs over case ids (`*` any run of characters); all cases when absent. */
  readonly only?: string;
  readonly defaultTimeoutMs?: number;
  /** Called before and after each case (progress line). */
  readonly onStart?: (testCase: ConformanceCase<never>, index: number, count: number) => void;
  readonly onResult?: (result: CaseResult, index: number, count: number) => void;
}

/** Whether `id` matches one of the comma-separated globs of `pattern`. */
export function matchesOnly(id: string, pattern: string | undefined): boolean {
  if (pattern === undefined || pattern.trim() === '') return true;
  return pattern.split(',').some((glob) => {
    const source = glob
      .trim()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, 'i').test(id) || (!glob.includes('*') && id.toLowerCase().includes(glob.trim().toLowerCase()));
  });
}

/** Whether `--only` selects `testCase`: by its case id or by its SGP.23 identifier (section, test case, sequence). */
export function selectsCase(testCase: Pick<ConformanceCase<unknown>, 'id' | 'sgp23'>, pattern: string | undefined): boolean {
  if (matchesOnly(testCase.id, pattern)) return true;
  return testCase.sgp23 !== undefined && testCase.sgp23 !== '' && matchesOnly(testCase.sgp23, pattern);
}

/**
 * Runs `cases` against the environment `prepare` gives for each case (a fresh card, the fixtures it
 * claims). `prepare` may throw CaseInconclusive (a fixture is missing).
 */
export async function runCases<Env>(
  cases: readonly ConformanceCase<Env>[],
  prepare: (testCase: ConformanceCase<Env>, t: CaseContext) => Promise<Env>,
  options: RunOptions,
): Promise<CaseResult[]> {
  const selected = cases.filter((testCase) => selectsCase(testCase, options.only));
  const results: CaseResult[] = [];
  for (const [index, testCase] of selected.entries()) {
    options.onStart?.(testCase as ConformanceCase<never>, index, selected.length);
    const result = await runOne(testCase, prepare, options);
    results.push(result);
    options.onResult?.(result, index, selected.length);
  }
  return results;
}

async function runOne<Env>(
  testCase: ConformanceCase<Env>,
  prepare: (testCase: ConformanceCase<Env>, t: CaseContext) => Promise<Env>,
  options: RunOptions,
): Promise<CaseResult> {
  const t = new CaseContext();
  const started = Date.now();
  const timeoutMs = testCase.timeoutMs ?? options.defaultTimeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const last = t.lastStep();
      const reason = `no verdict within ${timeoutMs} ms${last === undefined ? '' : ` (last step: ${last})`}`;
      t.abort(reason);
      reject(new CaseFailed(reason));
    }, timeoutMs);
  });
  let verdict: CaseResult['verdict'] = 'pass';
  let reason = '';
  let expected: string | undefined;
  let actual: string | undefined;
  const body = (async () => {
    const env = await prepare(testCase, t);
    await testCase.run(t, env);
  })();
  // A body still running after its timeout must not surface as an unhandled rejection later.
  body.catch(() => undefined);
  try {
    await Promise.race([body, timeout]);
    if (t.checks.length === 0) {
      // Never pass a case that asserted nothing.
      verdict = 'inconclusive';
      reason = 'the case made no assertion';
    }
  } catch (error) {
    if (error instanceof CaseFailed) {
      verdict = 'fail';
      reason = error.message;
      expected = error.expected;
      actual = error.actual;
    } else if (error instanceof CaseInconclusive) {
      verdict = 'inconclusive';
      reason = error.message;
    } else {
      // Anything else broke inside the step under test (a transport error, an undecodable answer).
      verdict = 'fail';
      reason = messageOf(error);
    }
  } finally {
    clearTimeout(timer);
  }
  return {
    id: testCase.id,
    title: testCase.title,
    sgp23: testCase.sgp23 ?? '',
    target: options.target,
    verdict,
    reason,
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
    checks: [...t.checks],
    steps: [...t.steps],
    durationMs: Date.now() - started,
  };
}

/** Exit status of a run: non-zero when a case failed (inconclusive cases alone do not fail the run). */
export function exitCodeOf(results: readonly CaseResult[]): number {
  return results.some((result) => result.verdict === 'fail') ? 1 : 0;
}
