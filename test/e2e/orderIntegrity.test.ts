// One order, several eUICCs (SGP.22 v2.2.2 §3.1.3, §5.6.2 – §5.6.5): a profile ends up on one card only,
// whatever another device holding the same activation code does in between, and a download whose package
// was bound but never loaded can be retried by the same card. lpa-core's Lpa on software eUICCs, over the
// test stack's real HTTPS; device B is held between AuthenticateClient and PrepareDownload by its consent
// callback (the user-consent step of §3.1.3.2) while device A downloads.
import { describe, expect, it } from 'vitest';
import { placeOrder } from '@zkesim/apps';
import { iccidToDigits, RspError, type ApduTransport, type IccidDigits } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack();
let serial = 400;

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** An order without EID (any eUICC with the activation code may take it), released. */
function orderWithoutEid(): Promise<{ iccid: string; matchingId: string }> {
  return placeOrder(t.stack.es2, { profileType: 'TS48V1-A-UNIQUE' });
}

async function smdpProfileState(iccid: string): Promise<string | undefined> {
  return (await t.stack.smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state;
}

async function iccidsOn(card: ApduTransport): Promise<string[]> {
  const lpa = await t.openLpa(card);
  try {
    return (await lpa.listProfiles()).map((profile) => profile.iccid);
  } finally {
    await lpa.close();
  }
}

/**
 * Device B authenticates for the order and waits at its consent prompt until released; then it answers as
 * `answer` says: 'decline' (endUserRejection) or 'fail' (any other failure: lpa-core cancels with postponed).
 */
async function heldDevice(matchingId: string, answer: 'decline' | 'fail') {
  const { card } = newTestCard(t.stack, (serial += 1));
  const atConsent = deferred();
  const release = deferred();
  const lpa = await t.openLpa(card, {
    interaction: {
      confirmDownload: async () => {
        atConsent.resolve();
        await release.promise;
        if (answer === 'fail') throw new Error('device B lost power');
        return false;
      },
    },
  });
  const run = lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId }).then(
    () => undefined,
    (error: unknown) => error,
  );
  await atConsent.promise;
  return {
    card,
    finish: async () => {
      release.resolve();
      const error = await run;
      await lpa.close();
      return error;
    },
  };
}

describe('one profile on one eUICC (#12.1)', () => {
  for (const answer of ['fail', 'decline'] as const) {
    it(`device B's ${answer === 'fail' ? 'CancelSession(postponed)' : 'endUserRejection'} after device A downloaded changes nothing`, async () => {
      const order = await orderWithoutEid();
      const b = await heldDevice(order.matchingId, answer);

      const { card: cardA } = newTestCard(t.stack, (serial += 1));
      const lpaA = await t.openLpa(cardA);
      const downloaded = await lpaA.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, sendNotifications: false });
      expect(iccidToDigits(downloaded.iccid)).toBe(order.iccid);

      // B gives up after A installed, before A's installation result reaches the SM-DP+.
      expect(await b.finish()).toBeInstanceOf(RspError);
      const notified = await lpaA.processNotifications();
      expect(notified.map((n) => n.status)).toEqual(['removed']);
      await lpaA.close();
      expect(await smdpProfileState(order.iccid)).toBe('installed');

      // A third card with the same activation code gets nothing.
      const { card: cardC } = newTestCard(t.stack, (serial += 1));
      const lpaC = await t.openLpa(cardC);
      const refused = await lpaC.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((error: unknown) => error);
      await lpaC.close();
      expect(refused).toBeInstanceOf(RspError);

      expect(await iccidsOn(cardA)).toEqual([order.iccid]);
      expect(await iccidsOn(b.card)).toEqual([]);
      expect(await iccidsOn(cardC)).toEqual([]);
      expect(await smdpProfileState(order.iccid)).toBe('installed');
    });
  }
});

describe('two LPAs racing for one matching ID (#12.4)', () => {
  it('one card gets the profile, the other an SGP.22 refusal, in every round', async () => {
    for (let round = 0; round < 3; round += 1) {
      const order = await orderWithoutEid();
      const cards = [newTestCard(t.stack, (serial += 1)), newTestCard(t.stack, (serial += 1))];
      const outcomes = await Promise.all(
        cards.map(async ({ card }) => {
          const lpa = await t.openLpa(card);
          try {
            return await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
          } catch (error) {
            return error;
          } finally {
            await lpa.close();
          }
        }),
      );
      const winners = outcomes.filter((outcome) => !(outcome instanceof Error));
      const losers = outcomes.filter((outcome): outcome is RspError => outcome instanceof RspError);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const loser = losers[0] as RspError;
      // An SGP.22 answer (8.x), never an HTTP 500 mapped to 1.6 / 4.2.
      expect(`${loser.subjectCode} / ${loser.reasonCode}`).not.toBe('1.6 / 4.2');
      expect(loser.subjectCode).toMatch(/^8\./);
      expect(loser.message).not.toMatch(/\b500\b/);
      const onCards = await Promise.all(cards.map(({ card }) => iccidsOn(card)));
      expect(onCards.flat()).toEqual([order.iccid]);
      expect(await smdpProfileState(order.iccid)).toBe('installed');
    }
  });
});

/** Fails the first LoadBoundProfilePackage APDU once it is armed: the LPA lost the package before loading it. */
class LosingTransport implements ApduTransport {
  armed = false;
  failed = false;
  constructor(private readonly card: ApduTransport) {}

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.armed && !this.failed) {
      this.failed = true;
      throw new Error('device rebooted');
    }
    return this.card.transmit(apdu);
  }
}

describe('retry of a bound download (#12.2)', () => {
  it('the same card downloads the bound order again in a new session, reusing the bound package', async () => {
    const { card, eid } = newTestCard(t.stack, (serial += 1));
    const order = await t.order({ eid });
    const losing = new LosingTransport(card);
    const first = await t.openLpa(losing, {
      progress: (step) => {
        if (step === 'loadBoundProfilePackage') losing.armed = true;
      },
    });
    const lost = await first.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((error: unknown) => error);
    expect((lost as Error).message).toMatch(/device rebooted/);
    await first.close().catch(() => undefined);
    expect(await smdpProfileState(order.iccid)).toBe('downloaded');

    const again = await t.openLpa(card);
    const result = await again.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
    await again.close();
    expect(iccidToDigits(result.iccid)).toBe(order.iccid);
    expect(await smdpProfileState(order.iccid)).toBe('installed');
    const history = await t.stack.smdp.repository.transaction((tx) => tx.profileHistory(order.iccid as IccidDigits));
    expect(history.map((change) => change.event)).toContain('bindRetry');
    expect(await iccidsOn(card)).toEqual([order.iccid]);
  });
});
