// PC/SC end to end: Debian's pcscd with the vsmartcard vpcd driver, the emulator connected as the virtual
// card over loopback, and pcsc-tools' scriptor sending real APDUs through the PC/SC stack.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUICCInfo1, silentLogger } from '@zkesim/protocol';
import { connectVpcd, type EuiccCard, type VpcdConnection } from '../src/index.js';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { delay, missingPcscParts, runScriptor, scriptorResponses, startOwnPcscd, stopPcscd, VPCD_PORT, VPCD_PORT_2, VPCD_READER_2 } from '@zkesim/testing/pcsc/pcscd';
import { sgp26Card, SGP26_DIR, SGP26_EID } from '@zkesim/testing/euicc/sgp26Euicc';

const run = promisify(execFile);
const ZKESIM = fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url));

const ISD_R_AID = 'A0000005591010FFFFFFFF8900000100';
// On a developer machine without the PC/SC packages the test is skipped with a warning; in CI (.ci/run
// installs them) a missing binary is a failure, never a silent skip.
const missing = process.env.CI ? [] : missingPcscParts(['scriptor']);
if (missing.length > 0) {
  console.warn(`pcsc.test.ts skipped: ${missing.join(', ')} not installed (apt-get install pcscd vsmartcard-vpcd pcsc-tools)`);
}

describe.skipIf(missing.length > 0)('PC/SC through pcscd + vpcd', () => {
  let pcscd: ChildProcess;
  let card: EuiccCard;
  let connection: VpcdConnection;

  beforeAll(async () => {
    pcscd = await startOwnPcscd();
    card = sgp26Card();
    connection = await connectWithRetry(card);
    await waitForCardPresent();
  });

  afterAll(async () => {
    connection?.close();
    if (pcscd !== undefined) await stopPcscd(pcscd);
  });

  it('selects the ISD-R on a logical channel and returns the FCI through GET RESPONSE', async () => {
    const output = await runScriptor(['00 70 00 00 01', `01 A4 04 00 10 ${ISD_R_AID}`, '01 C0 00 00 1A', '00 70 80 01 00']);
    const [open, select, fci, close] = scriptorResponses(output);
    expect(open).toBe('019000');
    expect(select).toBe('611A');
    expect(fci).toBe(`6F188410${ISD_R_AID}A5049F6501FF9000`);
    expect(close).toBe('9000');
  });

  it('answers GetEUICCInfo1 (BF20) through STORE DATA and GET RESPONSE', async () => {
    const output = await runScriptor(['00 70 00 00 01', `01 A4 04 00 10 ${ISD_R_AID}`, '81 E2 91 00 03 BF 20 00', '81 C0 00 00 00', '00 70 80 01 00']);
    const [, , storeData, info = ''] = scriptorResponses(output);
    expect(storeData).toMatch(/^61[0-9A-F]{2}$/);
    expect(info.endsWith('9000')).toBe(true);
    const decoded = EUICCInfo1.decode(Uint8Array.from(Buffer.from(info.slice(0, -4), 'hex')));
    expect(Buffer.from(decoded.svn).toString('hex')).toBe('020202');
    expect(decoded.euiccCiPKIdListForSigning.map((id) => Buffer.from(id).toString('hex').toUpperCase())).toEqual([
      'F54172BDF98A95D65CBEB88A38A1C11D800A85C3',
      'C0BC70BA36929D43B467FF57570530E57AB8FCD8',
    ]);
  });

  it('answers 6A82 for another AID and 6D00 for an unknown instruction', async () => {
    const output = await runScriptor(['00 A4 04 00 10 A0000005591010FFFFFFFF8900000200', '00 CA 00 00 00']);
    expect(scriptorResponses(output)).toEqual(['6A82', '6D00']);
  });
});

describe.skipIf(missing.length > 0)('PC/SC through pcscd + vpcd with `zkesim euicc serve --vpcd` as a separate process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'euicc-pcsc-'));
  let pcscd: ChildProcess;
  let serve: ChildProcess;

  beforeAll(async () => {
    pcscd = await startOwnPcscd();
    const statePath = join(dir, 'euicc.db');
    await run(process.execPath, [ZKESIM, 'euicc', 'create', '--state', statePath, '--sgp26', SGP26_DIR], { timeout: 60_000 });
    serve = spawn(process.execPath, [ZKESIM, 'euicc', 'serve', '--state', statePath, '--vpcd', `127.0.0.1:${VPCD_PORT_2}`], { stdio: 'ignore' });
    await waitForCardPresent(VPCD_READER_2);
  });

  afterAll(async () => {
    if (serve !== undefined && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    if (pcscd !== undefined) await stopPcscd(pcscd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers lpac's GetEID STORE DATA with the SGP.26 EID", async () => {
    const output = await runScriptor(['00 70 00 00 01', `01 A4 04 00 10 ${ISD_R_AID}`, '81 E2 91 00 06 BF 3E 03 5C 01 5A', '81 C0 00 00 15'], VPCD_READER_2);
    const responses = scriptorResponses(output);
    expect(responses[3]).toBe(`BF3E125A10${SGP26_EID}9000`);
  });
});

async function connectWithRetry(card: EuiccCard): Promise<VpcdConnection> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      return await connectVpcd({ host: '127.0.0.1', port: VPCD_PORT, card, logger: silentLogger });
    } catch (error) {
      lastError = error;
      await delay(100);
    }
  }
  throw new Error('pcscd vpcd reader did not accept the card connection', { cause: lastError });
}

/** pcscd notices the card on its next presence poll; retry a harmless command until it goes through. */
async function waitForCardPresent(reader?: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const output = await runScriptor(['80 AA 00 00 0A A9 08 81 00 82 01 01 83 01 07'], reader);
      if (scriptorResponses(output).includes('9000')) return;
    } catch {
      // scriptor exits non-zero while no card is present; poll again.
    }
    await delay(200);
  }
  throw new Error('the vpcd card never became present in pcscd');
}
