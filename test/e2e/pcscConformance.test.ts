// `zkesim conformance euicc --euicc pcsc:READER` against a card in a PC/SC reader: pcscd with the vpcd virtual
// reader, the software eUICC (the SGP.26 test card, one profile installed so that a notification is pending)
// connected to it as the card, and the real CLI process sending every case's APDUs through the PC/SC stack
// (lpa-core's `pcsc` transport, the libpcsc-perl helper).
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVpcd, type VpcdConnection } from '@zkesim/euicc-sim';
import { openCard } from '@zkesim/lpa-core';
import { silentLogger } from '@zkesim/protocol';
import { installProfile } from '@zkesim/testing/euicc/download';
import { delay, missingPcscParts, startOwnPcscd, stopPcscd, VPCD_PORT, VPCD_READER } from '@zkesim/testing/pcsc/pcscd';
import { sgp26Card } from '@zkesim/testing/smdp/sgp26Card';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

// Skipped with a warning on a machine without the PC/SC packages; in CI (.ci/run installs them) a missing
// package makes the test fail instead.
const missing = process.env.CI ? [] : missingPcscParts(['libpcsc-perl']);
if (missing.length > 0) console.warn(`pcscConformance.test.ts skipped: ${missing.join(', ')} missing (apt-get install pcscd vsmartcard-vpcd libpcsc-perl)`);

const zkesim = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'conformance-pcsc-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [zkesim, 'conformance', 'euicc', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe.skipIf(missing.length > 0)('zkesim conformance euicc through PC/SC (pcscd + vpcd + emulator)', () => {
  let pcscd: ChildProcess;
  let vpcd: VpcdConnection;

  beforeAll(async () => {
    const { card } = sgp26Card('nist');
    await installProfile(card);
    pcscd = await startOwnPcscd();
    vpcd = await retry(() => connectVpcd({ host: '127.0.0.1', port: VPCD_PORT, card, logger: silentLogger }), 'vpcd reader');
    // The CLI opens the reader once: wait until pcscd sees the card in it.
    const probe = await retry(() => openCard({ kind: 'pcsc', reader: VPCD_READER }), 'card present in pcscd');
    await probe.close();
  }, 300_000);

  afterAll(async () => {
    vpcd?.close();
    if (pcscd !== undefined) await stopPcscd(pcscd);
  });

  it('passes every eUICC case through the reader and writes the JUnit report', async () => {
    const junit = join(dir, 'euicc.xml');
    const result = await run(['--euicc', `pcsc:${VPCD_READER}`, '--sgp26', sgp26(''), '--junit', junit]);
    expect(result.stderr).toBe('');
    const verdicts = [...result.stdout.matchAll(/^\[ *\d+\/\d+\] (\S+) +(\S+)/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(verdicts.filter((line) => !line.startsWith('PASS '))).toEqual([]);
    expect(verdicts.length).toBeGreaterThanOrEqual(50);
    expect(result.stdout).toContain(`${verdicts.length} cases: ${verdicts.length} pass, 0 fail, 0 inconclusive`);
    expect(result.code).toBe(0);
    const report = readFileSync(junit, 'utf8');
    expect(report).toContain(`tests="${verdicts.length}" failures="0" errors="0" skipped="0"`);
    expect(report).toContain('name="ES10b.AuthenticateServer.nominal.euiccSignature1"');
  }, 60_000);

  it('names the readers and exits 1 when the reader does not exist', async () => {
    const result = await run(['--euicc', 'pcsc:No Such Reader', '--sgp26', sgp26('')]);
    expect(result.stderr).toMatch(/no reader matches "No Such Reader" \(readers: Virtual PCD 00 00/);
    expect(result.code).toBe(1);
  });
});

async function retry<T>(attempt: () => Promise<T>, what: string): Promise<T> {
  let last: unknown;
  for (let index = 0; index < 100; index += 1) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
      await delay(200);
    }
  }
  throw new Error(`${what} never became available`, { cause: last });
}
