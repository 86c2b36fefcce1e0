// The LPA talking to the emulator's stdio APDU server: `--euicc 'stdio:COMMAND'` starts
// `zkesim euicc serve --stdio` as a child and speaks hex APDU lines with it, as a user types it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@zkesim/testing/stack/processes';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const zkesim = `node ${join(repository, 'bin', 'zkesim.js')}`;
let dir = '';
let eid = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkesim-stdio-'));
  const created = await run(`${zkesim} euicc create --state ${join(dir, 'card.db')}`, { cwd: dir, env: process.env, timeoutMs: 60_000 });
  expect(created.code, created.stderr).toBe(0);
  eid = (JSON.parse(created.stdout) as { eid: string }).eid;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LPA over the emulator stdio server', { timeout: 120_000 }, () => {
  it('reads the eUICC through `stdio:zkesim euicc serve --stdio`', async () => {
    const ci = join(dir, 'card.db.pki', 'default', 'nist', 'ci.cert.pem');
    const card = `'stdio:${zkesim} euicc serve --stdio --state ${join(dir, 'card.db')}'`;
    const info = await run(`${zkesim} lpa --ci ${ci} --euicc ${card} chip info`, { cwd: dir, env: process.env, timeoutMs: 60_000 });
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ type: 'lpa', payload: { code: 0, data: { eid, svn: '2.2.2' } } });
    const list = await run(`${zkesim} lpa --ci ${ci} --euicc ${card} profile list`, { cwd: dir, env: process.env, timeoutMs: 60_000 });
    expect(JSON.parse(list.stdout)).toMatchObject({ payload: { code: 0, data: [] } });
  });

  it('reports a child that is not an APDU server as a transport error', async () => {
    const ci = join(dir, 'card.db.pki', 'default', 'nist', 'ci.cert.pem');
    const result = await run(`${zkesim} lpa --ci ${ci} --euicc 'stdio:true' chip info`, { cwd: dir, env: process.env, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ payload: { code: -1, data: { error: 'TransportError' } } });
  });
});
