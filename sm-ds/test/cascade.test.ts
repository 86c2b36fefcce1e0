// Root and Alternative SM-DS (SGP.22 v2.2.2 §3.6.1 – §3.6.3): an SM-DP+ registers on an Alternative SM-DS,
// which registers a pointer event on the Root (ES15, mutual TLS with CERT.DStls); the LPA starts at the Root,
// follows the pointer, and stops at loops and at its depth limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmdsLab, freePort, type SmdsLab } from '@zkesim/testing/smds/lab';
import { refusedAtHandshake } from '@zkesim/testing/smdp/https';

let lab: SmdsLab;
let root: Awaited<ReturnType<SmdsLab['startSmds']>>;
let alternative: Awaited<ReturnType<SmdsLab['startSmds']>>;
const smdpAddress = 'localhost:9';

beforeAll(async () => {
  lab = createSmdsLab();
  root = await lab.startSmds('root');
  alternative = await lab.startSmds('alternative', (config) => {
    config.rootSmds = { address: root.peerAddress };
  });
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

function statusOf(result: { json: () => Record<string, unknown> }): string {
  const status = (result.json().header as { functionExecutionStatus: Record<string, unknown> }).functionExecutionStatus;
  const data = status.statusCodeData as { subjectCode: string; reasonCode: string } | undefined;
  return data === undefined ? String(status.status) : `${data.subjectCode}/${data.reasonCode}`;
}

async function discover(maxDepth?: number) {
  const lpa = await lab.openLpa(lab.card(root.address));
  try {
    return await lpa.discover(undefined, maxDepth);
  } finally {
    await lpa.close();
  }
}

const count = (smds: Awaited<ReturnType<SmdsLab['startSmds']>>) => smds.store.transaction((tx) => tx.countEvents());

describe('Alternative SM-DS behind the Root', () => {
  it('forwards a pointer to the Root, which the LPA follows; deleting the event deletes the pointer', async () => {
    const register = await lab.es12(alternative.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-ALT', forwardingIndicator: true }, 'dptls');
    expect(statusOf(register)).toBe('Executed-Success');
    const onRoot = await root.store.transaction((tx) => tx.listEvents(lab.eid as never, Date.now()));
    expect(onRoot).toEqual([expect.objectContaining({ rspServerAddress: alternative.address, registrant: expect.objectContaining({ role: 'smds' }) })]);
    const found = await discover();
    expect(found.visited).toEqual([root.address, alternative.address]);
    expect(found.eventEntries).toEqual([{ eventId: 'EVT-ALT', rspServerAddress: smdpAddress, smdsAddress: alternative.address }]);
    expect(statusOf(await lab.es12(alternative.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-ALT' }, 'dptls'))).toBe('Executed-Success');
    expect(await count(root)).toBe(0);
    expect((await discover()).eventEntries).toEqual([]);
  });

  it('refuses the registration with 8.9 / 5.1 and keeps nothing when the Root is down', async () => {
    const deadPort = await freePort();
    const orphan = await lab.startSmds('orphan', (config) => {
      config.rootSmds = { address: `localhost:${deadPort}`, requestTimeoutMs: 2000 };
    });
    const register = await lab.es12(orphan.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-ORPHAN', forwardingIndicator: true }, 'dptls');
    expect(statusOf(register)).toBe('8.9/5.1');
    expect(await count(orphan)).toBe(0);
  });

  it('accepts ES15 only from SM-DSs', async () => {
    const asSmdp = await lab.es12(root.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-ES15' }, 'dptls', true);
    expect(statusOf(asSmdp)).toBe('1.1/1.2');
    // No client certificate: the handshake of the mutually authenticated port is refused.
    expect(await refusedAtHandshake(lab.es12(root.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-ES15' }, 'none', true))).toMatch(
      /^(ERR_SSL_|EPROTO|ECONNRESET)/,
    );
  });
});

describe('pointer loops and the depth limit', () => {
  it('never asks one SM-DS twice and stops at the depth limit', async () => {
    const chain = [root];
    for (const name of ['a1', 'a2', 'a3']) chain.push(await lab.startSmds(name));
    const [r, a1, a2, a3] = chain as [typeof root, typeof root, typeof root, typeof root];
    const point = async (from: typeof root, to: typeof root, eventId: string) =>
      expect(statusOf(await lab.es12(from.address, 'registerEvent', { eid: lab.eid, rspServerAddress: to.address, eventId }, 'dptls'))).toBe('Executed-Success');
    await point(r, a1, 'P1');
    await point(a1, a2, 'P2');
    await point(a2, a3, 'P3');
    // A loop back to the Root.
    await point(a2, r, 'LOOP');
    expect(statusOf(await lab.es12(a3.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'DEEP' }, 'dptls'))).toBe('Executed-Success');
    const limited = await discover(2);
    expect(limited.visited).toEqual([r.address, a1.address, a2.address]);
    expect(limited.eventEntries).toEqual([]);
    expect(limited.skipped).toEqual([
      { eventId: 'P3', rspServerAddress: a3.address, smdsAddress: a2.address, reason: 'depthLimit' },
      { eventId: 'LOOP', rspServerAddress: r.address, smdsAddress: a2.address, reason: 'loop' },
    ]);
    const deeper = await discover(3);
    expect(deeper.eventEntries).toEqual([{ eventId: 'DEEP', rspServerAddress: smdpAddress, smdsAddress: a3.address }]);
  });
});
