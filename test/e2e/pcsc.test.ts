// A download over PC/SC: pcscd with the vpcd virtual reader, the software eUICC connected to it
// as the card, and the LPA's `pcsc` transport (the libpcsc-perl helper process) sending real APDUs through
// the PC/SC stack, against the stack's SM-DP+ over HTTPS.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVpcd, type VpcdConnection } from '@zkesim/euicc-sim';
import { iccidToDigits, silentLogger } from '@zkesim/protocol';
import { openCard, type CardSession } from '@zkesim/lpa-core';
import { newTestCard, type TestCard } from '@zkesim/testing/stack/cards';
import { delay, missingPcscParts, startOwnPcscd, stopPcscd, VPCD_PORT } from '@zkesim/testing/pcsc/pcscd';
import { startTestStack, type TestStack } from '@zkesim/testing/stack/testStack';

// Skipped with a warning on a machine without the PC/SC packages; in CI (.ci/run installs them) a missing
// package makes the test fail instead.
const missing = process.env.CI ? [] : missingPcscParts(['libpcsc-perl']);
if (missing.length > 0) console.warn(`pcsc.test.ts skipped: ${missing.join(', ')} missing (apt-get install pcscd vsmartcard-vpcd libpcsc-perl)`);

describe.skipIf(missing.length > 0)('download through PC/SC (pcscd + vpcd + emulator)', () => {
  let t: TestStack;
  let pcscd: ChildProcess;
  let card: TestCard;
  let vpcd: VpcdConnection;
  let session: CardSession;

  beforeAll(async () => {
    t = await startTestStack();
    card = newTestCard(t.stack, 401);
    pcscd = await startOwnPcscd();
    vpcd = await retry(() => connectVpcd({ host: '127.0.0.1', port: VPCD_PORT, card: card.card, logger: silentLogger }), 'vpcd reader');
    session = await retry(() => openCard({ kind: 'pcsc', reader: 'Virtual PCD 00 00' }), 'card present in pcscd');
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    vpcd?.close();
    if (pcscd !== undefined) await stopPcscd(pcscd);
    await t?.close();
  });

  it('reads the EID and downloads an order through the PC/SC reader', async () => {
    const order = await t.order({ eid: card.eid });
    const lpa = await t.openLpa(session.transport);
    expect((await lpa.euiccInfo()).eid).toBe(card.eid);
    const result = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
    expect(iccidToDigits(result.iccid)).toBe(order.iccid);
    expect(result.notifications).toMatchObject([{ status: 'removed' }]);
    expect((await lpa.listProfiles()).map((p) => p.iccid)).toEqual([order.iccid]);
    await lpa.close();
  });

  it('names the readers when the wanted one does not exist', async () => {
    const error = await openCard({ kind: 'pcsc', reader: 'No Such Reader' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no reader matches "No Such Reader" \(readers: Virtual PCD 00 00/);
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
