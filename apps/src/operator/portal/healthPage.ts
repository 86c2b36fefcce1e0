// Health (admin): the SM-DP+ (/healthz and its ES2+ outbox backlog from /metrics, on its loopback admin
// listener), the SM-DS (its ES11 port answers over TLS with a certificate of our CI), the chain node (latest
// block) with the anchor outbox backlog, and the operator's own ES2+ receiver.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { RequestHandler } from 'express';
import { sessionOf } from './auth.js';
import { html, type Html } from '../../web/html.js';
import { page } from './layout.js';
import type { SmdpReader } from './smdpReader.js';

export interface ReceiverHealth {
  callbackUrl: string;
  lastReceivedAt(): number | undefined;
}

interface Check {
  name: string;
  ok: boolean;
  detail: Html | string;
}

const TIMEOUT_MS = 5_000;

async function getText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

/** A Prometheus gauge's value from /metrics text (the unlabelled sample). */
export function gauge(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function smdpCheck(adminUrl: string | undefined): Promise<Check[]> {
  if (adminUrl === undefined) return [{ name: 'SM-DP+', ok: false, detail: 'no admin URL configured' }];
  try {
    const health = await getText(`${adminUrl}/healthz`);
    const body = JSON.parse(health.text) as { status?: string; schemaVersion?: number; availableProfiles?: number };
    const checks: Check[] = [{ name: 'SM-DP+', ok: health.status === 200 && body.status === 'ok', detail: `/healthz: ${body.status ?? health.status}; schema version ${body.schemaVersion ?? '?'}; ${body.availableProfiles ?? '?'} profiles available` }];
    const metrics = await getText(`${adminUrl}/metrics`);
    const pending = gauge(metrics.text, 'smdp_outbox_pending');
    const dead = gauge(metrics.text, 'smdp_outbox_dead');
    checks.push({
      name: 'SM-DP+ outbox (ES2+ callbacks, ES12)',
      ok: metrics.status === 200 && dead === 0,
      detail: metrics.status === 200 ? `${pending ?? '?'} waiting for delivery, ${dead ?? '?'} given up` : `/metrics answered HTTP ${metrics.status}`,
    });
    return checks;
  } catch (error) {
    return [{ name: 'SM-DP+', ok: false, detail: `not reachable: ${(error as Error).message}` }];
  }
}

function smdsCheck(url: string | undefined, ca: string): Promise<Check> {
  if (url === undefined) return Promise.resolve({ name: 'SM-DS', ok: false, detail: 'no SM-DS configured' });
  const started = Date.now();
  return new Promise((resolve) => {
    const req = httpsRequest(`${url}/`, { method: 'GET', ca: new X509Certificate(readFileSync(ca)).toString(), timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      resolve({ name: 'SM-DS', ok: true, detail: `its ES11/ES12 port answers over TLS with a certificate of our CI, in ${Date.now() - started} ms` });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (error) => resolve({ name: 'SM-DS', ok: false, detail: `not reachable: ${error.message}` }));
    req.end();
  });
}

async function chainChecks(reader: SmdpReader): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    checks.push({ name: 'Chain node', ok: true, detail: `latest block ${await reader.blockNumber()} at ${reader.links.chain?.rpcUrl ?? '?'}` });
  } catch (error) {
    checks.push({ name: 'Chain node', ok: false, detail: `not reachable: ${(error as Error).message}` });
  }
  try {
    const { backlog } = await reader.batches(1);
    checks.push({
      name: 'Anchor outbox',
      ok: backlog !== undefined,
      detail: backlog === undefined ? 'anchoring is off' : `${backlog.pendingEvents} events waiting for a batch, ${backlog.unanchoredBatches} batches not anchored yet, ${backlog.anchoredEvents} events anchored`,
    });
  } catch (error) {
    checks.push({ name: 'Anchor outbox', ok: false, detail: `the SM-DP+ operator API did not answer: ${(error as Error).message}` });
  }
  return checks;
}

export function healthRoute(reader: SmdpReader, receiver: ReceiverHealth): RequestHandler {
  return async (_request, response) => {
    const last = receiver.lastReceivedAt();
    const checks = [
      ...(await smdpCheck(reader.links.smdpAdminUrl)),
      await smdsCheck(reader.links.smdsUrl, reader.links.api.ca),
      ...(await chainChecks(reader)),
      { name: 'Operator ES2+ receiver', ok: true, detail: html`listening at <span class="mono">${receiver.callbackUrl}</span>; ${last === undefined ? 'no callback since start' : `last callback ${new Date(last).toISOString()}`}` },
    ];
    response.type('html').send(
      page({
        title: 'Health',
        session: sessionOf(response),
        current: '/health',
        body: html`<p>Checked ${new Date().toISOString()}. <a href="/health">Check again</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">Component</th><th scope="col">Status</th><th scope="col">Detail</th></tr></thead>
<tbody>${checks.map((check) => html`<tr><th scope="row">${check.name}</th><td><span class="state state-${check.ok ? 'ok' : 'down'}">${check.ok ? 'OK' : 'problem'}</span></td><td>${check.detail}</td></tr>`)}</tbody></table></div>`,
      }),
    );
  };
}
