// SGP.22 §3.2 local profile management through the LPA, with §3.5 notifications: enable, disable and
// delete each queue a signed notification on the eUICC; the LPA delivers exactly that operation's
// notification to the SM-DP+ (ES9+.HandleNotification over HTTPS) and removes it once accepted.
import { beforeAll, describe, expect, it } from 'vitest';
import { Es10ResultError, type Lpa } from '@zkesim/lpa-core';
import { NotificationEvent, bitStringFromNames, iccidToDigits } from '@zkesim/protocol';
import { newTestCard, withNotificationConfiguration } from '@zkesim/testing/stack/cards';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack();
let lpa: Lpa;
let iccid: string;
let isdpAid: string;

beforeAll(async () => {
  const { card, eid } = newTestCard(t.stack, 201);
  const order = await t.order({ eid });
  const downloader = await t.openLpa(card);
  const result = await downloader.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
  iccid = iccidToDigits(result.iccid);
  isdpAid = Buffer.from(result.isdpAid).toString('hex').toUpperCase();
  // The SM-DP+ asked for enable/disable/delete notifications in the profile metadata (notificationConfigurationInfo).
  lpa = await t.openLpa(card);
}, 120_000);

describe('profile operations with their notifications (SGP.22 §3.2, §3.5)', () => {
  it('enables by ISD-P AID with refreshFlag and sends only the enable notification', async () => {
    const result = await lpa.enableProfile(isdpAid, { refreshFlag: true, sendNotifications: true });
    expect(result.iccid).toBe(iccid);
    expect(result.notifications).toMatchObject([{ event: 'notificationEnable', status: 'removed', notificationAddress: t.stack.smdpAddress }]);
    expect((await lpa.listProfiles())[0]).toMatchObject({ iccid, profileState: 'enabled' });
    expect(await lpa.listNotifications()).toEqual([]);
  });

  it('keeps the disable notification on the eUICC until it is processed on request', async () => {
    const result = await lpa.disableProfile(iccid);
    expect(result.notifications).toEqual([]);
    const pending = await lpa.listNotifications();
    expect(pending).toMatchObject([{ event: 'notificationDisable' }]);
    const outcomes = await lpa.processNotifications();
    expect(outcomes).toMatchObject([{ event: 'notificationDisable', status: 'removed' }]);
    expect(await lpa.listNotifications()).toEqual([]);
  });

  it('sets a nickname and reports an unknown ICCID as iccidNotFound', async () => {
    await lpa.setNickname(iccid, 'travel');
    expect((await lpa.listProfiles())[0]?.profileNickname).toBe('travel');
    const error = await lpa.setNickname('8949449999990009999', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Es10ResultError);
    expect((error as Es10ResultError).resultName).toBe('iccidNotFound');
  });

  it('refuses to delete an enabled profile, then deletes a disabled one and delivers the delete notification', async () => {
    await lpa.enableProfile(iccid, { sendNotifications: true });
    const refused = await lpa.deleteProfile(iccid).catch((e: unknown) => e);
    expect((refused as Es10ResultError).resultName).toBe('profileNotInDisabledState');
    await lpa.disableProfile(iccid, { sendNotifications: true });
    const deleted = await lpa.deleteProfile(iccid, { sendNotifications: true });
    expect(deleted.notifications).toMatchObject([{ event: 'notificationDelete', status: 'removed' }]);
    expect(await lpa.listProfiles()).toEqual([]);
    expect(await lpa.listNotifications()).toEqual([]);
  });

  it('reports an undeliverable notification and leaves it on the eUICC; remove drops it on request', async () => {
    const { card, eid } = newTestCard(t.stack, 202);
    const order = await t.order({ eid });
    const other = await t.openLpa(card);
    await other.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, sendNotifications: false });
    const configured = await t.openLpa(withNotificationConfiguration(card, 'localhost:1', bitStringFromNames(NotificationEvent, ['notificationEnable'])));
    await configured.enableProfile(order.iccid);
    const outcomes = await configured.processNotifications({ events: ['notificationEnable'] });
    expect(outcomes).toMatchObject([{ event: 'notificationEnable', status: 'failed' }]);
    expect(outcomes[0]?.error).toMatch(/localhost:1/);
    const pending = await configured.listNotifications();
    expect(pending.map((n) => n.event).sort()).toEqual(['notificationEnable', 'notificationInstall']);
    await configured.removeNotifications(pending.filter((n) => n.event === 'notificationEnable').map((n) => n.seqNumber));
    expect((await configured.processNotifications()).map((o) => o.status)).toEqual(['removed']);
    expect(await configured.listNotifications()).toEqual([]);
  });
});
