// After the installation the SM-DP+ keeps following the profile: the eUICC's enable, disable and delete
// notifications (SGP.22 v2.2.2 §3.5, ES9+.HandleNotification §5.6.4) move the profile's state, and each is
// forwarded to the operator as ES2+.HandleDownloadProgressInfo (§5.3.5) through the durable outbox. The
// download and the operations run with lpa-core against the software eUICC over real HTTPS.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EidDigits, IccidDigits } from '@zkesim/protocol';
import { Lpa } from '@zkesim/testing/smdp/lpa-core';
import { bindEs9Port, startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';
import { orderStatus } from '../src/orderStatus.js';

let h: Harness;
let address = '';

beforeAll(async () => {
  const es9 = await bindEs9Port();
  const { port } = es9;
  address = es9.address;
  h = await startHarness((config) => {
    config.address = address;
    const first = config.es9[0];
    if (first !== undefined) first.port = port;
  }, 2, { boundSockets: es9.boundSockets });
});
afterAll(() => h.close());

describe('profile state after the installation', () => {
  it('follows enable, disable and delete notifications and forwards each to the operator', { timeout: 60_000 }, async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'AFTER-INSTALL-1' })) as IccidDigits;
    const { card } = sgp26Card();
    const lpa = await Lpa.open({
      transport: card,
      https: { trustedCertificates: [readFileSync(h.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } },
    });
    const state = async () => (await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state;
    try {
      await lpa.downloadProfile({ smdpAddress: address, matchingId: 'AFTER-INSTALL-1' });
      expect(await state()).toBe('installed');
      expect((await lpa.enableProfile(iccid, { sendNotifications: true })).notifications).toMatchObject([{ status: 'removed' }]);
      expect(await state()).toBe('enabled');
      await lpa.disableProfile(iccid, { sendNotifications: true });
      expect(await state()).toBe('disabled');
      await lpa.deleteProfile(iccid, { sendNotifications: true });
      expect(await state()).toBe('deleted');
    } finally {
      await lpa.close();
    }
    const status = await orderStatus({ repository: h.smdp.repository, clock: { now: () => Date.now() }, anchor: { enabled: false, outboxDirectory: '' } }, iccid);
    expect(status.profileState).toBe('deleted');

    await h.smdp.outbox.runOnce();
    const forwarded = h.callbacks.received.filter((c) => c.body.iccid === iccid);
    // 3 BPP download, 4 BPP installation, then enable, disable and delete.
    expect(forwarded.map((c) => c.body.notificationPointId)).toEqual([3, 4, 6, 7, 8]);
    for (const callback of forwarded.slice(2)) {
      expect(callback.body).toMatchObject({ eid: sgp26Eid, iccid, notificationPointStatus: { status: 'Executed-Success' } });
      expect(typeof callback.body.resultData).toBe('string');
    }
    const ids = forwarded.map((c) => (c.body.header as { functionCallIdentifier: string }).functionCallIdentifier);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores a notification from an eUICC other than the one the profile was installed on', { timeout: 60_000 }, async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'AFTER-INSTALL-2' })) as IccidDigits;
    const { card } = sgp26Card();
    const lpa = await Lpa.open({
      transport: card,
      https: { trustedCertificates: [readFileSync(h.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } },
    });
    try {
      await lpa.downloadProfile({ smdpAddress: address, matchingId: 'AFTER-INSTALL-2' });
      // As if the profile had been ordered for, and installed on, another eUICC.
      await h.smdp.repository.transaction(async (tx) => {
        const order = await tx.getLatestOrderByIccid(iccid);
        await tx.updateOrder(order?.orderId ?? 0, { eid: '89049032123451234512345678909965' as EidDigits });
      });
      const before = h.callbacks.received.length;
      expect((await lpa.enableProfile(iccid, { sendNotifications: true })).notifications).toMatchObject([{ status: 'removed' }]);
      expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
      await h.smdp.outbox.runOnce();
      expect(h.callbacks.received.slice(before).filter((c) => c.body.iccid === iccid && c.body.notificationPointId === 6)).toEqual([]);
    } finally {
      await lpa.close();
    }
  });
});
