// The live progress line per case: `[ 12/104] PASS  ES9+.… (120 ms) · SGP.23 4.3.12.2.1 TC_… #01` (or
// `· no SGP.23 counterpart claimed`), with the reason under fail/inconclusive.
import type { CaseResult } from '../runner/model.js';
import { NO_SGP23_COUNTERPART } from '../runner/sgp23.js';

const LABEL = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;

export function progressLine(result: CaseResult, index: number, count: number): string {
  const width = String(count).length;
  const head = `[${String(index + 1).padStart(width)}/${count}] ${LABEL[result.verdict].padEnd(12)} ${result.id} (${result.durationMs} ms) · ${result.sgp23 === '' ? NO_SGP23_COUNTERPART : `SGP.23 ${result.sgp23}`}`;
  return result.verdict === 'pass' ? head : `${head}\n${' '.repeat(width * 2 + 4)}${result.reason}`;
}

export function summaryLine(results: readonly CaseResult[]): string {
  const count = (verdict: CaseResult['verdict']) => results.filter((result) => result.verdict === verdict).length;
  return `${results.length} cases: ${count('pass')} pass, ${count('fail')} fail, ${count('inconclusive')} inconclusive`;
}
