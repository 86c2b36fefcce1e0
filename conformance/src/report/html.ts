// A self-contained HTML report (inline CSS, no script, no external resource): summary, then per case its
// verdict and reason, expected and actual, what it checked, and every step with the request and response
// as exchanged; base64 fields holding DER are shown decoded as TLV trees beside their text.
import type { CaseResult, Step } from '../runner/model.js';
import { SGP23_VERSION, sgp23Label } from '../runner/sgp23.js';
import { parseTlvs, renderTlvs } from './tlv.js';

const esc = (text: string): string => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** base64 strings of JSON values that are whole DER TLVs, decoded. */
function decodedFields(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    // ES10 steps record APDU data in upper-case hexadecimal, ES9+ bodies carry base64.
    const isHex = value.length >= 6 && /^([0-9A-F]{2})+$/.test(value);
    if (!isHex && (value.length < 8 || !/^[A-Za-z0-9+/]+=*$/.test(value))) return [];
    const bytes = new Uint8Array(Buffer.from(value, isHex ? 'hex' : 'base64'));
    if (bytes.length < 3 || (bytes[0] === 0x30 && bytes.length > 600)) return [];
    const tree = parseTlvs(bytes);
    return tree === undefined || tree.length !== 1 ? [] : [`${path === '' ? 'data' : path}:\n${renderTlvs(tree, '  ')}`];
  }
  if (value !== null && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => decodedFields(inner, path === '' ? key : `${path}.${key}`));
  return [];
}

function show(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length} characters)` : text;
}

function stepHtml(step: Step): string {
  const parts = [`<div class="step"><div class="st">${step.atMs} ms · ${esc(step.title)}${step.note === undefined ? '' : ` — ${esc(step.note)}`}</div>`];
  for (const [label, value] of [['request', step.request], ['response', step.response]] as const) {
    if (value === undefined) continue;
    const decoded = decodedFields(value);
    parts.push(`<div class="io"><b>${label}</b><pre>${esc(show(value))}</pre>${decoded.length === 0 ? '' : `<b>${label}, DER fields decoded</b><pre class="tlv">${esc(decoded.join('\n'))}</pre>`}</div>`);
  }
  parts.push('</div>');
  return parts.join('');
}

function caseHtml(result: CaseResult): string {
  const open = result.verdict === 'pass' ? '' : ' open';
  const facts = [
    `<div class="sgp23"><b>SGP.23</b> ${esc(sgp23Label(result.sgp23))}</div>`,
    result.reason === '' ? '' : `<div class="reason"><b>why</b> ${esc(result.reason)}</div>`,
    result.expected === undefined ? '' : `<div><b>expected</b> <code>${esc(result.expected)}</code></div>`,
    result.actual === undefined ? '' : `<div><b>actual</b> <code>${esc(result.actual)}</code></div>`,
    result.checks.length === 0 ? '' : `<div><b>checked</b><ul>${result.checks.map((check) => `<li>${esc(check)}</li>`).join('')}</ul></div>`,
  ].join('');
  return `<details class="case ${result.verdict}"${open}><summary><span class="v ${result.verdict}">${result.verdict}</span> <code>${esc(result.id)}</code> <span class="title">${esc(result.title)}</span> <span class="sgp">${esc(sgp23Label(result.sgp23))}</span> <span class="ms">${result.durationMs} ms</span></summary>${facts}<div class="steps">${result.steps.map(stepHtml).join('')}</div></details>`;
}

export function htmlReport(results: readonly CaseResult[], meta: { title: string; target: string; generatedAt: Date }): string {
  const count = (verdict: CaseResult['verdict']) => results.filter((result) => result.verdict === verdict).length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px}.meta{color:#5a6475;margin-bottom:16px}
.sum span{display:inline-block;margin-right:12px;padding:4px 10px;border-radius:4px;font-weight:600}
.case{background:#fff;border:1px solid #dde2ea;border-radius:4px;margin:4px 0;padding:4px 8px}
summary{cursor:pointer}.title{color:#3a4456}.sgp{color:#5a6475;font-size:12px;white-space:nowrap}.ms{color:#8a93a3;float:right}
.v{display:inline-block;width:96px;text-align:center;border-radius:3px;font-weight:600;font-size:12px;text-transform:uppercase}
.pass{background:#e3f5e8;color:#17692f}.fail{background:#fde5e5;color:#a11616}.inconclusive{background:#fff3d6;color:#8a5a00}
.case.pass,.case.fail,.case.inconclusive{background:#fff;color:inherit}
.reason{margin:6px 0;font-weight:600}.step{border-left:3px solid #c8d0dc;margin:6px 0 6px 4px;padding-left:8px}
.st{color:#3a4456;font-weight:600}pre{background:#f3f5f8;padding:6px;overflow:auto;max-height:320px;font-size:12px;margin:2px 0}
pre.tlv{background:#eef3fb}code{font-size:12px}
</style></head><body>
<h1>${esc(meta.title)}</h1>
<div class="meta">target ${esc(meta.target)} · ${esc(meta.generatedAt.toISOString())} · SGP.23 identifiers follow ${SGP23_VERSION}</div>
<div class="sum"><span>${results.length} cases</span><span class="pass">${count('pass')} pass</span><span class="fail">${count('fail')} fail</span><span class="inconclusive">${count('inconclusive')} inconclusive</span></div>
${results.map(caseHtml).join('\n')}
</body></html>
`;
}
