// The bundled node's data folder holds the chain's state (anvil-state.json, and the anchor outbox beside it in the
// stack): like the other data folders it is the owner's alone, 0700, under the usual umask 022.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startBundledNode } from '../src/node/bundledNode.js';

let dir = '';
let umask = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundled-node-modes-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

it('makes its data folder (and the folders above it it makes) 0700 under umask 022', async () => {
  const dataDir = join(dir, 'data', 'chain');
  const node = await startBundledNode({ dataDir });
  try {
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(dir, 'data')).mode & 0o777).toString(8)).toBe('700');
  } finally {
    await node.stop();
  }
});
