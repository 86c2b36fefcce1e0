// Persistence across restarts: the state a process writes to the SQLite file is what the next process reads
// on start, checked through the real CLI in separate Node processes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevelopmentPki, eidOf, parseCertificate, validateChain } from '@zkesim/pki';
import { isValidEid } from '@zkesim/protocol';
import { createEuicc, openSqliteStore } from '../src/index.js';
import { stateSummary } from '../src/adapters/stateSummary.js';
import { installProfile, profileWithIccid } from '@zkesim/testing/euicc/download';
import { hex, SGP26_DIR, SGP26_EID, sgp26EuiccState, testDeps } from '@zkesim/testing/euicc/sgp26Euicc';

const run = promisify(execFile);
const ZKESIM = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'euicc-restart-'));
const statePath = join(dir, 'euicc.db');

async function zkesim(args: string[], input?: string): Promise<string> {
  const child = run(process.execPath, [ZKESIM, 'euicc', ...args], { timeout: 60_000 });
  child.child.stdin?.end(input ?? '');
  return (await child).stdout;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eUICC state survives a process restart', () => {
  it('creates, installs and enables in one process, then reads the same state in new processes', async () => {
    await zkesim(['create', '--state', statePath, '--sgp26', SGP26_DIR]);

    const store = openSqliteStore(statePath);
    const state = store.load(hex(SGP26_EID));
    if (state === undefined) throw new Error('created eUICC not found');
    const card = createEuicc({ state, deps: testDeps(store) });
    const iccid = hex('98001032547698103214');
    await installProfile(card, profileWithIccid(iccid));
    const es10Enable = ['0070000001', '01A4040C10A0000005591010FFFFFFFF8900000100', `81E2910014BF3111A00C5A0A${'98001032547698103214'}8101FF`];
    for (const apdu of es10Enable) await card.transmit(hex(apdu));
    const written = stateSummary(card.state);
    store.close();

    const info = JSON.parse(await zkesim(['info', '--state', statePath])) as unknown;
    expect(info).toEqual(JSON.parse(JSON.stringify(written)));
    expect(written).toMatchObject({ profiles: [{ iccid: '89000123456789012341', state: 'enabled' }], notifications: [{ seqNumber: 0 }] });

    const served = await zkesim(['serve', '--state', statePath, '--stdio'], '0070000001\n01A4040C10A0000005591010FFFFFFFF8900000100\n81E2910007BF2D045C029F70\n81C0000000\n');
    const lines = served.trim().split('\n');
    expect(lines[3]).toBe('BF2D08A006E3049F7001019000');
  });

  it('keeps several eUICCs apart in one state file', async () => {
    const path = join(dir, 'two.db');
    await zkesim(['create', '--state', path, '--sgp26', SGP26_DIR]);
    await zkesim(['create', '--state', path, '--pki', join(dir, 'pki-two'), '--eid', '89001012000000000000000000000150']);
    const store = openSqliteStore(path);
    expect(store.listEids().map((eid) => Buffer.from(eid).toString('hex')).sort()).toEqual(['89001012000000000000000000000150', SGP26_EID]);
    store.close();
    await expect(zkesim(['info', '--state', path])).rejects.toThrow(/choose one with --eid/);
    expect(JSON.parse(await zkesim(['info', '--state', path, '--eid', SGP26_EID]))).toMatchObject({ eid: SGP26_EID });
  });

  it("issues each new card from the stack's EUM (./data/pki), with its own EID under the EUM's EIN", async () => {
    const cwd = join(dir, 'stack');
    const stackPki = createDevelopmentPki(join(cwd, 'data', 'pki'), { curves: ['nist'] }).pki;
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'ZKESIM_DATA_DIR'));
    const create = async (name: string) => (await run(process.execPath, [ZKESIM, 'euicc', 'create', '--state', join(cwd, name)], { cwd, env, timeout: 60_000 })).stdout;
    const eids = [JSON.parse(await create('one.db')) as { eid: string }, JSON.parse(await create('two.db')) as { eid: string }].map((summary) => summary.eid);
    expect(new Set([...eids, stackPki.eid]).size).toBe(3);
    const ci = stackPki.hierarchies.nist?.ci.certificate;
    if (ci === undefined) throw new Error('no NIST CI');
    for (const [index, eid] of eids.entries()) {
      expect(isValidEid(eid) && eid.startsWith('89001012')).toBe(true);
      const store = openSqliteStore(join(cwd, index === 0 ? 'one.db' : 'two.db'));
      const [credential] = store.load(hex(eid))?.credentials ?? [];
      store.close();
      if (credential === undefined) throw new Error(`card ${eid} has no credential`);
      const certificate = parseCertificate(credential.euiccCertificate);
      expect(eidOf(certificate)).toBe(eid);
      validateChain({ certificate, intermediates: [parseCertificate(credential.eumCertificate)], trustedCis: [ci], role: 'euicc', at: new Date() });
    }
    expect(existsSync(join(cwd, 'one.db.pki'))).toBe(false);
  });

  it('runs several eUICCs on one SQLite store in one process without mixing their state', async () => {
    const path = join(dir, 'shared.db');
    const store = openSqliteStore(path);
    const first = sgp26EuiccState();
    const second = { ...sgp26EuiccState(), eid: hex('89049032123451234512345678901334') };
    store.save(first);
    store.save(second);
    const cardA = createEuicc({ state: first, deps: testDeps(store) });
    const cardB = createEuicc({ state: second, deps: testDeps(store) });
    await installProfile(cardA, profileWithIccid(hex('98001032547698103214')));
    await cardB.transmit(hex('0070000001'));
    await cardB.transmit(hex('01A4040C10A0000005591010FFFFFFFF8900000100'));
    await cardB.transmit(hex('81E2910010BF3F0D800B736D64702E6578616D706C'));
    expect(store.load(first.eid)?.profiles).toHaveLength(1);
    expect(store.load(first.eid)?.defaultDpAddress).toBeUndefined();
    expect(store.load(second.eid)?.profiles).toHaveLength(0);
    expect(store.load(second.eid)?.defaultDpAddress).toBe('smdp.exampl');
    store.close();
  });
});
