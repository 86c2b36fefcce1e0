// SM-DS use case end to end (SGP.22 v2.2.2 §3.6, §3.1.3 without an activation code): the operator's order names
// the stack's SM-DS, the SM-DP+ registers the event (ES12, mutual TLS) before answering ConfirmOrder, the LPA
// finds it by discovery (ES11, the eUICC's root SM-DS), downloads without an activation code, and the SM-DP+
// deletes the event (through its outbox) once the profile is installed, the order cancelled or expired.
// The same through an Alternative SM-DS behind the stack's SM-DS as Root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RspError, iccidToDigits, type EidDigits } from '@zkesim/protocol';
import { startSmdsServer, validateConfig, type RunningSmds } from '@zkesim/sm-ds';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { useTestStack } from '@zkesim/testing/stack/testStack';
import { freePort } from '@zkesim/testing/smds/lab';
import { placeOrder } from '@zkesim/apps';
import { bindSocket } from '@zkesim/rsp-server';
import { run } from '@zkesim/testing/stack/processes';
import { fileURLToPath } from 'node:url';

// The Alternative SM-DS's ports, known before the stack starts: its SM-DP+ reaches ES12 there (smdsPeers). Bound
// now (and served by the Alternative SM-DS later), so that no other process takes them in between.
const alternativeSockets = [await bindSocket('127.0.0.1'), await bindSocket('127.0.0.1')] as const;
const [alternativePort, alternativePeerPort] = alternativeSockets.map((socket) => socket.port) as [number, number];
const t = useTestStack({ smdsPeers: [{ address: `localhost:${alternativePort}`, es12Address: `localhost:${alternativePeerPort}` }] });

/** The SM-DS's events for `eid`. */
function eventsOn(smds: RunningSmds, eid: string) {
  return smds.store.transaction((tx) => tx.listEvents(eid as EidDigits, Date.now()));
}

/** Waits (up to 15 s) until the SM-DS holds no event for `eid`: the SM-DP+'s outbox delivers DeleteEvent. */
async function eventsGone(smds: RunningSmds, eid: string): Promise<void> {
  const until = Date.now() + 15_000;
  while ((await eventsOn(smds, eid)).length > 0) {
    if (Date.now() > until) throw new Error(`the event of ${eid} was not deleted`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('SM-DS use case', () => {
  it('order with an SM-DS address → event → discovery → download without an activation code → event deleted → discovery empty', async () => {
    const { card, eid } = newTestCard(t.stack, 301);
    const order = await t.order({ eid, smdsAddress: t.stack.smdsAddress });
    expect(await eventsOn(t.stack.smds, eid)).toEqual([expect.objectContaining({ eventId: order.matchingId, rspServerAddress: t.stack.smdpAddress })]);
    const lpa = await t.openLpa(card);
    const found = await lpa.discover(t.stack.smdsAddress);
    expect(found.eventEntries).toEqual([{ eventId: order.matchingId, rspServerAddress: t.stack.smdpAddress, smdsAddress: t.stack.smdsAddress }]);
    const outcome = await lpa.downloadDiscovered({ smdsAddress: t.stack.smdsAddress });
    expect(outcome.downloads).toEqual([expect.objectContaining({ result: expect.objectContaining({ smdpAddress: t.stack.smdpAddress }) })]);
    expect((await lpa.listProfiles()).map((profile) => profile.iccid)).toEqual([order.iccid]);
    await eventsGone(t.stack.smds, eid);
    expect((await lpa.discover(t.stack.smdsAddress)).eventEntries).toEqual([]);
  });

  it('deletes the event when the operator cancels the order', async () => {
    const { eid } = newTestCard(t.stack, 302);
    const order = await t.order({ eid, smdsAddress: t.stack.smdsAddress });
    expect(await eventsOn(t.stack.smds, eid)).toHaveLength(1);
    await t.cancel({ ...order, eid });
    await eventsGone(t.stack.smds, eid);
  });

  it('deletes the event when the order expires', async () => {
    const { card, eid } = newTestCard(t.stack, 303);
    await t.order({ eid, smdsAddress: t.stack.smdsAddress });
    const lpa = await t.openLpa(card);
    t.advanceClock(31 * 24 * 3600 * 1000);
    try {
      const outcome = await lpa.downloadDiscovered({ smdsAddress: t.stack.smdsAddress });
      const [download] = outcome.downloads;
      expect(download !== undefined && 'error' in download ? `${(download.error as RspError).subjectCode}/${(download.error as RspError).reasonCode}` : 'downloaded').toBe('8.8.5/4.10');
      // The SM-DP+'s outbox runs on its (advanced) clock.
      await eventsGone(t.stack.smds, eid);
    } finally {
      t.advanceClock(-31 * 24 * 3600 * 1000);
    }
  });

  it('refuses ConfirmOrder with 8.9 / 5.1 when the SM-DS is down', async () => {
    const { eid } = newTestCard(t.stack, 304);
    const error = await placeOrder(t.stack.es2, { profileType: 'TS48V1-A-UNIQUE', eid, smdsAddress: `localhost:${await freePort()}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RspError);
    expect(`${(error as RspError).subjectCode}/${(error as RspError).reasonCode}`).toBe('8.9/5.1');
  });
});

describe('zkesim lpa discovery and profile download --discover', () => {
  it("lists the stack card's event at its root SM-DS, downloads it without an activation code, and finds nothing after", async () => {
    const order = await t.order({ eid: t.stack.euicc.eid, smdsAddress: t.stack.smdsAddress });
    const cwd = fileURLToPath(new URL('../../', import.meta.url));
    const lpa = `npx zkesim lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem}`;
    const call = async (args: string) => {
      const result = await run(`${lpa} ${args}`, { cwd, env: { ...process.env, ZKESIM_DATA_DIR: t.dataDir }, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout.trim()) as { payload: { data: Record<string, unknown> } }).payload.data;
    };
    const listed = await call('discovery');
    expect(listed).toMatchObject({ smdsAddress: t.stack.smdsAddress, eventEntries: [{ eventId: order.matchingId, rspServerAddress: t.stack.smdpAddress }] });
    const downloaded = await call('profile download --discover');
    expect(downloaded).toMatchObject({ downloads: [{ event: { eventId: order.matchingId }, result: { iccid: order.iccid } }] });
    await eventsGone(t.stack.smds, t.stack.euicc.eid);
    expect(await call('discovery')).toMatchObject({ eventEntries: [] });
  }, 120_000);
});

describe('through an Alternative SM-DS behind the Root', () => {
  let alternative: RunningSmds & { address: string };
  beforeAll(async () => {
    const h = t.stack.pki.nist;
    const address = `localhost:${alternativePort}`;
    const config = validateConfig({
      address,
      port: alternativePort,
      peerPort: alternativePeerPort,
      tlsCertificate: h.dstls.certificatePath,
      tlsKey: h.dstls.keyPath,
      credentials: [{ ciCertificate: h.ci.certificatePath, dsAuthCertificate: h.dsauth.certificatePath, dsAuthKey: h.dsauth.keyPath }],
      crls: [h.crlPath],
      clientCis: [h.ci.certificatePath],
      storage: { path: join(t.dataDir, 'alternative-smds.db') },
      // ES15 goes to the Root's mutually authenticated port.
      rootSmds: { address: `localhost:${t.stack.smds.peerPort}` },
      logLevel: 'silent',
      admin: { enabled: false },
    });
    alternative = { ...(await startSmdsServer(config, { boundSockets: new Map(alternativeSockets.map((socket) => [socket.port, socket.socket])) })), address };
  });
  afterAll(async () => {
    await alternative?.close();
    await Promise.all(alternativeSockets.map((socket) => socket.close()));
  });

  it('registers on the Alternative, which points the Root at itself; the LPA starts at the Root; both are cleaned up after the download', async () => {
    const { card, eid } = newTestCard(t.stack, 311);
    const order = await t.order({ eid, smdsAddress: alternative.address });
    expect(await eventsOn(alternative, eid)).toEqual([expect.objectContaining({ eventId: order.matchingId, rspServerAddress: t.stack.smdpAddress })]);
    expect(await eventsOn(t.stack.smds, eid)).toEqual([expect.objectContaining({ rspServerAddress: alternative.address })]);
    const lpa = await t.openLpa(card);
    const found = await lpa.discover(t.stack.smdsAddress);
    expect(found.visited).toEqual([t.stack.smdsAddress, alternative.address]);
    expect(found.eventEntries).toEqual([{ eventId: order.matchingId, rspServerAddress: t.stack.smdpAddress, smdsAddress: alternative.address }]);
    const outcome = await lpa.downloadDiscovered({ smdsAddress: t.stack.smdsAddress });
    const installed = outcome.downloads.map((download) => ('result' in download ? { iccid: iccidToDigits(download.result.iccid), smdpAddress: download.result.smdpAddress } : download.error));
    expect(installed).toEqual([{ iccid: order.iccid, smdpAddress: t.stack.smdpAddress }]);
    await eventsGone(alternative, eid);
    await eventsGone(t.stack.smds, eid);
    expect((await lpa.discover(t.stack.smdsAddress)).eventEntries).toEqual([]);
  });
});
