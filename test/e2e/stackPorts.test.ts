// The stack on ephemeral ports (as every e2e test file starts it, two files at a time) must not lose a port
// between choosing and binding it: another process may bind a port the moment it is free (a CI run failed on
// `listen EADDRINUSE` at stack start). Here another listener takes every port that findFreePort hands out at
// once, the worst case of that race; the stack still starts, and a download reaches its ES9+ and ES2+ ports,
// the SM-DS and the operator's ES2+ receiver.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { TEST_STACK_START_TIMEOUT_MS, startTestStack, type TestStack } from '@zkesim/testing/stack/testStack';
import { releaseStolenPorts, type PortThief } from '@zkesim/testing/ports/portThief';

const thief = vi.hoisted((): PortThief => ({ steal: Infinity, listeners: [] }));

vi.mock('@zkesim/contracts', async (importOriginal) => {
  const original = await importOriginal<typeof import('@zkesim/contracts')>();
  const { stealingFindFreePort } = await import('@zkesim/testing/ports/portThief');
  return { ...original, findFreePort: stealingFindFreePort(original.findFreePort, thief) };
});

let t: TestStack | undefined;

beforeAll(async () => {
  t = await startTestStack();
}, TEST_STACK_START_TIMEOUT_MS);

afterAll(async () => {
  await t?.close();
  await releaseStolenPorts(thief);
});

it('starts with every chosen port bound from the moment it is chosen, and serves a download on them', async () => {
  if (t === undefined) throw new Error('the stack did not start');
  const { card, eid } = newTestCard(t.stack, 301);
  const order = await t.order({ eid });
  const lpa = await t.openLpa(card);
  try {
    const result = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
    expect(Buffer.from(result.iccid).length).toBe(10);
  } finally {
    await lpa.close();
  }
  const portOf = (url: string) => Number(new URL(url).port);
  const stolen = new Set(thief.listeners.map((server) => (server.address() as import('node:net').AddressInfo).port));
  for (const port of [portOf(`https://${t.stack.smdpAddress}`), portOf(t.stack.smdp.es2Url), t.stack.smds.port, t.stack.smds.peerPort]) {
    expect(stolen.has(port)).toBe(false);
  }
});
