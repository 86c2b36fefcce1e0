// `zkesim start` takes SMDP_* variables over the stack's own SM-DP+ settings, as `zkesim smdp serve` does: a real
// process with SMDP_METRICS=true (the stack turns /metrics off; it is served on the admin listener), SMDP_PROFILES_PER_TEMPLATE and SMDP_LOG_LEVEL=warn,
// its data under a ZKESIM_DATA_DIR that is not ./data, the chain off. The effective SM-DP+ configuration is
// written to <data dir>/smdp/config.json, where `zkesim smdp …` finds it with no --config.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startBackground, type Background } from '@zkesim/testing/stack/processes';

const repository = fileURLToPath(new URL('../../', import.meta.url));
let scratch = '';
let dataDir = '';
let env: NodeJS.ProcessEnv = {};
let stack: Background | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'zkesim-overrides-'));
  dataDir = join(scratch, 'elsewhere');
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SMDP_') && !key.startsWith('ZKESIM_')));
  env = {
    ...inherited,
    ZKESIM_DATA_DIR: dataDir,
    ZKESIM_ES9_PORT: '0',
    ZKESIM_ES2_PORT: '0',
    ZKESIM_EUICC_PORT: '0',
    ZKESIM_ADMIN_PORT: '0',
    ZKESIM_SMDS_PEER_PORT: '0',
    ZKESIM_CHAIN: 'off',
    SMDP_METRICS: 'true',
    SMDP_PROFILES_PER_TEMPLATE: '2',
    SMDP_LOG_LEVEL: 'warn',
  };
  stack = startBackground('npx zkesim start', { cwd: repository, env });
  await stack.waitFor('Press Ctrl-C to stop.', 120_000);
}, 180_000);

afterAll(async () => {
  await stack?.interrupt(20_000);
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, servername: 'localhost' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('zkesim start with SMDP_* variables', () => {
  it("runs its SM-DP+ with them over the stack's settings", async () => {
    const es9Url = /SM-DP\+ ES9\+\s+(https:\/\/\S+)/.exec(stack?.output() ?? '')?.[1] ?? '';
    const adminUrl = /SM-DP\+ admin\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stack?.output() ?? '')?.[1] ?? '';
    const ca = readFileSync(join(dataDir, 'pki', 'nist', 'ci.cert.pem'), 'utf8');
    // /healthz and /metrics are on the admin listener only, not on the public ES9+ port.
    expect((await get(`${es9Url}/metrics`, ca)).status).toBe(404);
    const metrics = await fetch(`${adminUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
    const health = (await (await fetch(`${adminUrl}/healthz`)).json()) as { availableProfiles: number };
    // Two profiles of each of the four bundled templates, one of them taken by the demo order.
    expect(health.availableProfiles).toBe(7);
    const effective = JSON.parse(readFileSync(join(dataDir, 'smdp', 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(effective).toMatchObject({ metrics: true, profilesPerTemplate: 2, logLevel: 'warn', storage: { kind: 'sqlite', path: join(dataDir, 'smdp', 'smdp.db') } });
    // At warn, the SM-DP+ log has none of the info lines the stack's own level (info) writes at start.
    const log = join(dataDir, 'smdp', 'smdp.log');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('SM-DP+ listening');
  });

  it('lets `zkesim smdp` commands work on its data with no --config', async () => {
    const fixtures = join(scratch, 'fixtures.yaml');
    writeFileSync(fixtures, 'orders:\n  - { profileType: TS48V1-A-UNIQUE, matchingId: OVERRIDES-1 }\n');
    const commandEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('SMDP_')));
    const provisioned = await run(`npx zkesim smdp provision ${fixtures}`, { cwd: repository, env: commandEnv, timeoutMs: 60_000 });
    expect(provisioned.code, provisioned.stderr).toBe(0);
    const [order] = JSON.parse(provisioned.stdout) as { iccid: string; matchingId: string }[];
    expect(order?.matchingId).toBe('OVERRIDES-1');
    const shown = await run(`npx zkesim smdp order ${order?.iccid ?? ''}`, { cwd: repository, env: commandEnv, timeoutMs: 60_000 });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ iccid: order?.iccid, profileState: 'released', order: { matchingId: 'OVERRIDES-1' } });
  });
});
