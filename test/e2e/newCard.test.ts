// A card made with `zkesim euicc create` next to a running stack: it gets its own EID under the stack EUM's
// EIN, a CERT.EUICC from the stack's EUM, and downloads from the stack's SM-DP+ with no PKI flags at all.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatActivationCode } from '@zkesim/lpa-core';
import { isValidEid } from '@zkesim/protocol';
import { run } from '@zkesim/testing/stack/processes';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack();
const zkesim = `node ${fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url))}`;
const dir = mkdtempSync(join(tmpdir(), 'zkesim-new-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zkesim euicc create beside the stack', { timeout: 120_000 }, () => {
  it('gives every card its own valid EID under the EUM prefix, and a new card downloads with no extra flags', async () => {
    const env = { ...process.env, ZKESIM_DATA_DIR: t.dataDir };
    const create = async (name: string): Promise<string> => {
      const created = await run(`${zkesim} euicc create --state ${join(dir, name)}`, { cwd: dir, env, timeoutMs: 60_000 });
      expect(created.code, created.stderr).toBe(0);
      return (JSON.parse(created.stdout) as { eid: string }).eid;
    };
    const [first, second] = [await create('a.db'), await create('b.db')];
    expect(first).not.toBe(second);
    for (const eid of [first, second]) {
      expect(isValidEid(eid)).toBe(true);
      expect(eid.startsWith('89001012')).toBe(true);
      expect(eid).not.toBe(t.stack.euicc.eid);
    }

    const order = await t.order({ eid: first });
    const activationCode = formatActivationCode({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, confirmationCodeRequired: false });
    const downloaded = await run(`${zkesim} lpa --euicc sim:${join(dir, 'a.db')} profile download --activation-code '${activationCode}'`, { cwd: dir, env, timeoutMs: 60_000 });
    expect(downloaded.code, downloaded.stderr).toBe(0);
    expect(JSON.parse(downloaded.stdout)).toMatchObject({ payload: { code: 0, data: { iccid: order.iccid, notifications: [{ status: 'removed' }] } } });
  });

  it("names a refused load's bppCommandId and errorReason, and --card-log shows the card's own reason", async () => {
    const env = { ...process.env, ZKESIM_DATA_DIR: t.dataDir };
    const created = await run(`${zkesim} euicc create --state ${join(dir, 'small.db')} --memory 4096`, { cwd: dir, env, timeoutMs: 60_000 });
    expect(created.code, created.stderr).toBe(0);
    const order = await t.order({ eid: (JSON.parse(created.stdout) as { eid: string }).eid });
    const activationCode = formatActivationCode({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, confirmationCodeRequired: false });
    const cardLog = join(dir, 'logs', 'card.log');
    const result = await run(`${zkesim} lpa --euicc sim:${join(dir, 'small.db')} --card-log ${cardLog} profile download --activation-code '${activationCode}'`, { cwd: dir, env, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    const payload = (JSON.parse(result.stdout) as { payload: { code: number; message: string; data: Record<string, unknown> } }).payload;
    expect(payload.message).toMatch(/bppCommandId loadProfileElements \(5\), errorReason installFailedDueToInsufficientMemoryForProfile \(10\); the installation result was delivered/);
    expect(payload.data).toMatchObject({ error: 'ProfileInstallationFailed', bppCommandId: 'loadProfileElements', errorReason: 'installFailedDueToInsufficientMemoryForProfile' });
    const log = readFileSync(cardLog, 'utf8');
    expect(log).toMatch(/profile installation aborted/);
    expect(log).toMatch(/profile needs more than the \d+ bytes free/);
    expect(log).toMatch(/installFailedDueToInsufficientMemoryForProfile/);
    expect(statSync(cardLog).mode & 0o777).toBe(0o600);
  });
});
