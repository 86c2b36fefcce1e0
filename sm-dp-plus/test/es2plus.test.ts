// ES2+ (SGP.22 v2.2.2 §5.3) through the real HTTPS listener with mutual TLS, and the durable
// HandleDownloadProgressInfo outbox delivering to a real HTTPS callback server.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmdpServer, type RunningSmdp } from '../src/main.js';
import { queueDownloadProgressInfo, NotificationPoint } from '../src/es2plus/handleDownloadProgressInfo.js';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { post, refusedAtHandshake, statusOf } from '@zkesim/testing/smdp/https';
import { demoProfileType, seedInventory } from '@zkesim/testing/smdp/inventory';
import { startCallbackServer } from '@zkesim/testing/smdp/callbackServer';
import type { IccidDigits } from '@zkesim/protocol';

const eid = '89049032123451234512345678901235';
let pki: TestPki;
let smdp: RunningSmdp;
let iccids: IccidDigits[];

function es2(fn: string, body: Record<string, unknown>, as: 'operator' | 'rogue' | 'none' = 'operator') {
  const credentials =
    as === 'operator' ? { cert: pki.operatorCert, key: pki.operatorKey } : as === 'rogue' ? { cert: pki.rogueCert, key: pki.rogueKey } : {};
  return post(
    `${smdp.es2Url}/gsma/rsp2/es2plus/${fn}`,
    JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: `call-${fn}` }, ...body }),
    { ca: pki.ciNist, ...credentials },
  );
}

beforeAll(async () => {
  pki = createTestPki();
  smdp = await startSmdpServer(testConfig(pki, (c) => (c.limits.maxBodyBytes = 4096)));
  iccids = await seedInventory(smdp.repository, 10);
});
afterAll(async () => {
  await smdp.close();
  pki.cleanup();
});

describe('ES2+ over mutual TLS', () => {
  it('runs DownloadOrder → ConfirmOrder (released) and returns the SM-DP+ address and a fresh MatchingID', async () => {
    const ordered = await es2('downloadOrder', { eid, profileType: demoProfileType });
    expect(statusOf(ordered).status).toBe('Executed-Success');
    const iccid = ordered.json().iccid as string;
    expect(iccids).toContain(iccid);
    const confirmed = await es2('confirmOrder', { iccid, releaseFlag: true, confirmationCode: '1234' });
    expect(statusOf(confirmed).status).toBe('Executed-Success');
    expect(confirmed.json()).toMatchObject({ eid, smdpAddress: 'testsmdpplus1.example.com' });
    expect(confirmed.json().matchingId).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    const profile = await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits));
    expect(profile?.state).toBe('released');
  });

  it('needs ReleaseProfile when ConfirmOrder has releaseFlag false, and refuses a second release (8.2.1 / 3.5)', async () => {
    const iccid = iccids[5] as string;
    expect(statusOf(await es2('downloadOrder', { iccid })).status).toBe('Executed-Success');
    expect(statusOf(await es2('confirmOrder', { iccid, matchingId: 'OP-CHOSEN-1', releaseFlag: false })).status).toBe('Executed-Success');
    expect(statusOf(await es2('releaseProfile', { iccid })).status).toBe('Executed-Success');
    expect(statusOf(await es2('releaseProfile', { iccid }))).toMatchObject({ subjectCode: '8.2.1', reasonCode: '3.5' });
  });

  it('refuses a MatchingID that was already used (8.2.6 / 3.3)', async () => {
    const ordered = await es2('downloadOrder', { profileType: demoProfileType });
    const result = await es2('confirmOrder', { iccid: ordered.json().iccid, matchingId: 'OP-CHOSEN-1', releaseFlag: true });
    expect(statusOf(result)).toMatchObject({ status: 'Failed', subjectCode: '8.2.6', reasonCode: '3.3' });
  });

  it('refuses an unknown ICCID (8.2.1 / 3.9), an unknown profile type (8.2.5 / 3.9) and an ordered profile (8.2.1 / 3.3)', async () => {
    expect(statusOf(await es2('downloadOrder', { iccid: '8900000000000000999' }))).toMatchObject({ subjectCode: '8.2.1', reasonCode: '3.9' });
    expect(statusOf(await es2('downloadOrder', { profileType: 'nope' }))).toMatchObject({ subjectCode: '8.2.5', reasonCode: '3.9' });
    expect(statusOf(await es2('downloadOrder', { iccid: iccids[5] }))).toMatchObject({ subjectCode: '8.2.1', reasonCode: '3.3' });
  });

  it('cancels an order back to Available and forbids cancelling it twice', async () => {
    const ordered = await es2('downloadOrder', { profileType: demoProfileType, eid });
    const iccid = ordered.json().iccid;
    const cancelled = await es2('cancelOrder', { iccid, eid, finalProfileStatusIndicator: 'Available' });
    expect(statusOf(cancelled).status).toBe('Executed-Success');
    expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' }))).toMatchObject({ subjectCode: '8.2.1' });
    const profile = await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits));
    expect(profile?.state).toBe('available');
  });

  it('refuses ConfirmOrder with an EID other than the order\'s (8.1.1 / 3.10)', async () => {
    const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid;
    const other = '89049032123451234512345678909965';
    expect(statusOf(await es2('confirmOrder', { iccid, eid: other, releaseFlag: true }))).toMatchObject({ status: 'Failed', subjectCode: '8.1.1', reasonCode: '3.10' });
    expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' })).status).toBe('Executed-Success');
  });

  it('refuses CancelOrder with a MatchingID (8.2.6 / 3.10) or an EID (8.1.1 / 3.10) other than the order\'s', async () => {
    const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid;
    expect(statusOf(await es2('confirmOrder', { iccid, matchingId: 'CANCEL-ASSOC-1', releaseFlag: true })).status).toBe('Executed-Success');
    const other = '89049032123451234512345678909965';
    expect(statusOf(await es2('cancelOrder', { iccid, matchingId: 'CANCEL-ASSOC-2', finalProfileStatusIndicator: 'Available' }))).toMatchObject({
      status: 'Failed', subjectCode: '8.2.6', reasonCode: '3.10',
    });
    expect(statusOf(await es2('cancelOrder', { iccid, eid: other, finalProfileStatusIndicator: 'Available' }))).toMatchObject({
      status: 'Failed', subjectCode: '8.1.1', reasonCode: '3.10',
    });
    expect(statusOf(await es2('cancelOrder', { iccid, eid, matchingId: 'CANCEL-ASSOC-1', finalProfileStatusIndicator: 'Available' })).status).toBe('Executed-Success');
  });

  it('reports a malformed EID as an invalid field and a missing header as a missing field', async () => {
    expect(statusOf(await es2('downloadOrder', { eid: '1234', profileType: demoProfileType }))).toMatchObject({ subjectCode: '1.6', reasonCode: '2.1' });
    const noHeader = await post(`${smdp.es2Url}/gsma/rsp2/es2plus/downloadOrder`, '{"profileType":"x"}', {
      ca: pki.ciNist,
      cert: pki.operatorCert,
      key: pki.operatorKey,
    });
    expect(statusOf(noHeader)).toMatchObject({ subjectCode: '1.6', reasonCode: '2.2' });
  });

  it('refuses a functionRequesterIdentifier that is not the authenticated operator (1.1 / 1.2)', async () => {
    const result = await post(
      `${smdp.es2Url}/gsma/rsp2/es2plus/downloadOrder`,
      JSON.stringify({ header: { functionRequesterIdentifier: 'someone-else', functionCallIdentifier: 'x' }, profileType: demoProfileType }),
      { ca: pki.ciNist, cert: pki.operatorCert, key: pki.operatorKey },
    );
    expect(statusOf(result)).toMatchObject({ subjectCode: '1.1', reasonCode: '1.2' });
  });

  it('refuses the TLS handshake of a caller without a client certificate (SGP.22 §2.6.6: mutual TLS on ES2+)', async () => {
    expect(await refusedAtHandshake(es2('downloadOrder', { profileType: demoProfileType }, 'none'))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
  });

  it('refuses the TLS handshake of a client certificate from a CA no operator is configured with', async () => {
    expect(await refusedAtHandshake(es2('downloadOrder', { profileType: demoProfileType }, 'rogue'))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
  });

  it('answers 413 to an oversized body', async () => {
    const result = await es2('downloadOrder', { profileType: 'x'.repeat(5000) });
    expect(result.status).toBe(413);
  });
});

describe('ES12 event registration at the SM-DS (SGP.22 §3.6.1, §3.6.3)', () => {
  it('registers an event with EventID = MatchingID on ConfirmOrder and deletes it on CancelOrder', async () => {
    const smds = await startCallbackServer(pki);
    try {
      const ordered = await es2('downloadOrder', { eid, profileType: demoProfileType });
      const iccid = ordered.json().iccid;
      const confirmed = await es2('confirmOrder', { iccid, matchingId: 'SMDS-EVENT-1', smdsAddress: smds.address, releaseFlag: true });
      expect(statusOf(confirmed).status).toBe('Executed-Success');
      await smdp.outbox.runOnce();
      expect(smds.received.map((r) => r.path)).toEqual(['/gsma/rsp2/es12/registerEvent']);
      expect(smds.received[0]?.body).toMatchObject({ eid, eventId: 'SMDS-EVENT-1', rspServerAddress: 'testsmdpplus1.example.com', forwardingIndicator: true });
      expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Unavailable' })).status).toBe('Executed-Success');
      await smdp.outbox.runOnce();
      expect(smds.received.map((r) => r.path)).toEqual(['/gsma/rsp2/es12/registerEvent', '/gsma/rsp2/es12/deleteEvent']);
    } finally {
      await smds.close();
    }
  });
});

describe('ConfirmOrder with an SM-DS address (SGP.22 §5.3.2, §3.6.1)', () => {
  it('refuses an smdsAddress that is not a host name with an optional port (8.9.1 / 3.8) and keeps the order as it was', async () => {
    const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid;
    for (const smdsAddress of ['smds.example.com/evil', 'user@smds.example.com', 'smds.example.com\r\nX: 1', 'https://smds.example.com']) {
      expect(statusOf(await es2('confirmOrder', { iccid, smdsAddress, releaseFlag: true }))).toMatchObject({ status: 'Failed', subjectCode: '8.9.1', reasonCode: '3.8' });
    }
    expect((await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state).toBe('linked');
    expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' })).status).toBe('Executed-Success');
  });

  it('registers the event within ConfirmOrder, and answers 8.9 / 5.1 in bounded time when the SM-DS cannot be reached', async () => {
    const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid;
    // A port nothing listens on, and an address that accepts connections but never answers.
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const held: import('node:net').Socket[] = [];
    const silent = createNetServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      for (const port of [closedPort, (silent.address() as AddressInfo).port]) {
        const started = Date.now();
        const result = await es2('confirmOrder', { iccid, matchingId: `SMDS-DOWN-${port}`, smdsAddress: `127.0.0.1:${port}`, releaseFlag: true });
        expect(statusOf(result)).toMatchObject({ status: 'Failed', subjectCode: '8.9', reasonCode: '5.1' });
        expect(Date.now() - started).toBeLessThan(5000);
        expect((await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state).toBe('linked');
      }
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
    const smds = await startCallbackServer(pki);
    try {
      const confirmed = await es2('confirmOrder', { iccid, matchingId: 'SMDS-UP-1', smdsAddress: smds.address, releaseFlag: true });
      expect(statusOf(confirmed).status).toBe('Executed-Success');
      // Registered before the answer, not later by the outbox.
      expect(smds.received.map((r) => r.path)).toEqual(['/gsma/rsp2/es12/registerEvent']);
      expect(smds.received[0]?.body).toMatchObject({ eid, eventId: 'SMDS-UP-1' });
      expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' })).status).toBe('Executed-Success');
      await smdp.outbox.runOnce();
      expect(smds.received.map((r) => r.path)).toEqual(['/gsma/rsp2/es12/registerEvent', '/gsma/rsp2/es12/deleteEvent']);
    } finally {
      await smds.close();
    }
  });
});

describe('ConfirmOrder with an SM-DS that refuses the event', () => {
  it('answers 8.9 / 4.2 with the SM-DS\'s code in the message and leaves the order unconfirmed', async () => {
    const refusing = createServer({ cert: readFileSync(pki.callbackCert), key: readFileSync(pki.callbackKey) }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ header: { functionExecutionStatus: { status: 'Failed', statusCodeData: { subjectCode: '8.9.5', reasonCode: '3.3' } } } }));
      });
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid;
      const result = await es2('confirmOrder', { iccid, smdsAddress: `127.0.0.1:${(refusing.address() as AddressInfo).port}`, releaseFlag: true });
      expect(statusOf(result)).toMatchObject({ status: 'Failed', subjectCode: '8.9', reasonCode: '4.2' });
      expect(result.json()).toMatchObject({ header: { functionExecutionStatus: { statusCodeData: { message: expect.stringContaining('8.9.5 / 3.3') } } } });
      expect((await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state).toBe('linked');
      expect(statusOf(await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' })).status).toBe('Executed-Success');
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});

describe('ConfirmOrder whose confirmation fails after the SM-DS registered the event', () => {
  it('withdraws the event: DeleteEvent queued in the outbox, and an SGP.22 code in the answer', async () => {
    const iccid = (await es2('downloadOrder', { eid, profileType: demoProfileType })).json().iccid as string;
    // An SM-DS at whose RegisterEvent the operator cancels the order over ES2+: the registration succeeds,
    // and the confirmation that follows it finds the order gone (SGP.22 §3.6.1 event first, then the order).
    const registered: Record<string, unknown>[] = [];
    const cancelling = createServer(
      { cert: readFileSync(pki.callbackCert), key: readFileSync(pki.callbackKey), ca: readFileSync(pki.operatorCa), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          void (async () => {
            registered.push({ path: req.url, ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) });
            if (req.url === '/gsma/rsp2/es12/registerEvent') {
              const cancelled = await es2('cancelOrder', { iccid, finalProfileStatusIndicator: 'Available' });
              registered.push({ cancelOrder: statusOf(cancelled).status });
            }
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify({ header: { functionExecutionStatus: { status: 'Executed-Success' } } }));
          })();
        });
      },
    );
    await new Promise<void>((resolve) => cancelling.listen(0, '127.0.0.1', resolve));
    const smdsAddress = `127.0.0.1:${(cancelling.address() as AddressInfo).port}`;
    try {
      const outboxBefore = await smdp.repository.transaction((tx) => tx.listOutbox({ state: 'pending', limit: 100 }));
      const result = await es2('confirmOrder', { iccid, matchingId: 'SMDS-RACE-1', smdsAddress, releaseFlag: true });
      expect(registered).toEqual([
        expect.objectContaining({ path: '/gsma/rsp2/es12/registerEvent', eid, eventId: 'SMDS-RACE-1' }),
        { cancelOrder: 'Executed-Success' },
      ]);
      // 8.2.1 / 3.5: the profile (Available again) has no open order to confirm (§5.3.2).
      expect(statusOf(result)).toMatchObject({ status: 'Failed', subjectCode: '8.2.1', reasonCode: '3.5' });
      const queued = (await smdp.repository.transaction((tx) => tx.listOutbox({ state: 'pending', limit: 100 }))).filter(
        (entry) => !outboxBefore.some((before) => before.id === entry.id),
      );
      expect(queued.map((entry) => entry.targetUrl)).toEqual([`https://${smdsAddress}/gsma/rsp2/es12/deleteEvent`]);
      expect(JSON.parse(queued[0]?.body ?? '{}')).toMatchObject({ eid, eventId: 'SMDS-RACE-1' });
      expect((await smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state).toBe('available');
      // The outbox delivers it to the SM-DS.
      await smdp.outbox.runOnce();
      expect(registered.at(-1)).toMatchObject({ path: '/gsma/rsp2/es12/deleteEvent', eid, eventId: 'SMDS-RACE-1' });
    } finally {
      await new Promise((resolve) => cancelling.close(resolve));
    }
  });
});

describe('HandleDownloadProgressInfo outbox', () => {
  let callbackServer: Server;
  let received: { body: Record<string, unknown>; clientCn: string | undefined }[];
  let failFirst: number;

  beforeAll(async () => {
    received = [];
    failFirst = 2;
    callbackServer = createServer(
      { cert: readFileSync(pki.callbackCert), key: readFileSync(pki.callbackKey), ca: readFileSync(pki.operatorCa), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (failFirst > 0) {
            failFirst -= 1;
            res.statusCode = 503;
            res.end();
            return;
          }
          const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
          received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, clientCn: String(peer.subject?.CN) });
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ header: { functionExecutionStatus: { status: 'Executed-Success' } } }));
        });
      },
    );
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => callbackServer.close(() => resolve())));

  it('delivers over mutual TLS after retrying with backoff, and keeps the entry until then', async () => {
    const port = (callbackServer.address() as AddressInfo).port;
    const iccid = iccids[4] as IccidDigits;
    await smdp.repository.transaction(async (tx) => {
      const profile = await tx.getProfile(iccid);
      const order = await tx.insertOrder({ iccid, eid: eid as never, releaseFlag: true, operatorId: 'operator', callbackUrl: `https://127.0.0.1:${port}/cb`, createdAt: 0 });
      await queueDownloadProgressInfo(tx, order, profile!, { notificationPointId: NotificationPoint.bppInstallation }, Date.now(), 'n-1');
    });
    expect(await smdp.outbox.runOnce()).toBe(0);
    expect(await smdp.repository.transaction((tx) => tx.pendingOutboxCount())).toBe(1);
    for (let i = 0; i < 40 && received.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await smdp.outbox.runOnce();
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.clientCn).toBe('operator');
    expect(received[0]?.body).toMatchObject({ iccid, eid, profileType: demoProfileType, notificationPointId: 4, notificationPointStatus: { status: 'Executed-Success' } });
    expect(await smdp.repository.transaction((tx) => tx.pendingOutboxCount())).toBe(0);
  });
});
