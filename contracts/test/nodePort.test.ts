// The bundled node binds its port itself, so a free port chosen for it may be taken by another process (another
// test file's node) before it binds. Another node on the port must not pass for ours (it answers eth_chainId
// too): the start is PortTaken; on a chosen port the start goes on on a fresh one.
import type { AddressInfo, Server } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BUNDLED_CHAIN_ID, startBundledNode } from '../src/node/bundledNode.js';
import { PortTaken } from '../src/node/childPort.js';
import { removeDir, tempDir } from '@zkesim/testing/chain/nodes';
import { releaseStolenPorts, type PortThief } from '@zkesim/testing/ports/portThief';

/** Another process's listeners on the first ports findFreePort hands out. */
const thief = vi.hoisted((): PortThief => ({ steal: 0, listeners: [] }));

vi.mock('../src/node/freePort.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/node/freePort.js')>();
  const { stealingFindFreePort } = await import('@zkesim/testing/ports/portThief');
  return { ...original, findFreePort: stealingFindFreePort(original.findFreePort, thief) };
});

const dirs = [tempDir('node-port-a'), tempDir('node-port-b'), tempDir('node-port-c')];
afterAll(async () => {
  await releaseStolenPorts(thief);
  for (const dir of dirs) removeDir(dir);
});

describe('the bundled node on a port another process took', () => {
  it('is PortTaken when another node holds the port, not that node', async () => {
    const [first, second] = dirs as [string, string, string];
    const other = await startBundledNode({ dataDir: first });
    try {
      const port = Number(new URL(other.rpcUrl).port);
      const error = await startBundledNode({ dataDir: second, port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortTaken);
      expect((error as PortTaken).port).toBe(port);
    } finally {
      await other.stop();
    }
  });

  it('starts on a fresh port when the chosen one was taken first, listening on it itself', async () => {
    thief.steal = 1;
    const node = await startBundledNode({ dataDir: dirs[2] as string });
    try {
      expect(thief.steal).toBe(0);
      const port = Number(new URL(node.rpcUrl).port);
      expect(thief.listeners.map((server: Server) => (server.address() as AddressInfo).port)).not.toContain(port);
      const answer = await fetch(node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
      expect(((await answer.json()) as { result: string }).result).toBe(`0x${BUNDLED_CHAIN_ID.toString(16)}`);
    } finally {
      await node.stop();
    }
  });
});
