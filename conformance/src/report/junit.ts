// JUnit XML of a run: one testsuite per target, one testcase per case; fail is <failure>, inconclusive is
// <skipped> with its reason (JUnit has no third verdict), the recorded steps go to <system-out>.
import type { CaseResult } from '../runner/model.js';
import { SGP23_VERSION, sgp23Label } from '../runner/sgp23.js';

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export function junitXml(results: readonly CaseResult[], suiteName = 'zkesim conformance'): string {
  const targets = [...new Set(results.map((result) => result.target))];
  const suites = targets.map((target) => {
    const own = results.filter((result) => result.target === target);
    const failures = own.filter((result) => result.verdict === 'fail').length;
    const skipped = own.filter((result) => result.verdict === 'inconclusive').length;
    const time = own.reduce((sum, result) => sum + result.durationMs, 0) / 1000;
    const cases = own.map((result) => {
      const name = escapeXml(result.id);
      // The SGP.23 identifier, or that no SGP.23 counterpart is claimed: never silently absent.
      const props = `\n      <properties><property name="sgp23" value="${escapeXml(sgp23Label(result.sgp23))}"/></properties>`;
      const verdict =
        result.verdict === 'fail'
          ? `\n      <failure message="${escapeXml(result.reason)}" type="fail">${escapeXml([result.reason, result.expected === undefined ? '' : `expected: ${result.expected}`, result.actual === undefined ? '' : `actual: ${result.actual}`].filter(Boolean).join('\n'))}</failure>`
          : result.verdict === 'inconclusive'
            ? `\n      <skipped message="inconclusive: ${escapeXml(result.reason)}"/>`
            : '';
      const out = result.steps.map((step) => `${step.atMs} ms ${step.title}${step.note === undefined ? '' : `: ${step.note}`}`).join('\n');
      return `    <testcase classname="${escapeXml(`${target}`)}" name="${name}" time="${(result.durationMs / 1000).toFixed(3)}">${props}${verdict}\n      <system-out>${escapeXml(`${result.title}\n${out}`)}</system-out>\n    </testcase>`;
    });
    return `  <testsuite name="${escapeXml(`${suiteName} ${target}`)}" tests="${own.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">\n    <properties><property name="sgp23.version" value="${SGP23_VERSION}"/></properties>\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(suiteName)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
