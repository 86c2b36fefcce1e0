// Two eUICCs downloading at the same time from one SM-DP+, and a BPP load interrupted by a transport
// failure resumed from the stored BPP without a new order.
import { describe, expect, it } from 'vitest';
import { memoryBppStore } from '@zkesim/lpa-core';
import { iccidToDigits, type ApduTransport } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack();

/** Passes APDUs to the card until `armed`, then lets `budget` more through and fails the next one once. */
class InterruptingTransport implements ApduTransport {
  armed = false;
  failed = false;
  constructor(
    private readonly card: ApduTransport,
    private budget: number,
  ) {}

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.armed && !this.failed) {
      if (this.budget === 0) {
        this.failed = true;
        throw new Error('reader unplugged');
      }
      this.budget -= 1;
    }
    return this.card.transmit(apdu);
  }
}

describe('downloads in parallel and resumed loads', () => {
  it('downloads to two eUICCs in parallel, each getting its own order', async () => {
    const cards = [newTestCard(t.stack, 301), newTestCard(t.stack, 302)];
    const orders = await Promise.all(cards.map(({ eid }) => t.order({ eid })));
    const results = await Promise.all(
      cards.map(async ({ card }, index) => {
        const lpa = await t.openLpa(card);
        return lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: orders[index]?.matchingId ?? '' });
      }),
    );
    expect(results.map((r) => iccidToDigits(r.iccid))).toEqual(orders.map((o) => o.iccid));
    expect(results.every((r) => r.notifications.every((n) => n.status === 'removed'))).toBe(true);
  });

  it('keeps the BPP when the load is interrupted and resumes it on the same card session', async () => {
    const { card, eid } = newTestCard(t.stack, 303);
    const order = await t.order({ eid });
    const store = memoryBppStore();
    const flaky = new InterruptingTransport(card, 5);
    const lpa = await t.openLpa(flaky, {
      bppStore: store,
      progress: (step) => {
        if (step === 'loadBoundProfilePackage') flaky.armed = true;
      },
    });
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/reader unplugged/);
    const stored = store.latest();
    expect(stored?.piecesLoaded).toBeGreaterThan(0);
    expect(await lpa.listProfiles()).toEqual([]);

    const resumed = await lpa.resumeDownload();
    expect(iccidToDigits(resumed.iccid)).toBe(order.iccid);
    expect(resumed.notifications).toMatchObject([{ event: 'notificationInstall', status: 'removed' }]);
    expect(store.latest()).toBeUndefined();
    expect((await lpa.listProfiles()).map((p) => p.iccid)).toEqual([order.iccid]);
  });
});
