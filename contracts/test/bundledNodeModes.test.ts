// The bundled node's data folder holds the chain's state (anvil-state.json, and the anchor outbox beside it in the
// stack): like the other data folders it is the owner's alone, 0700, under the usual umask 022.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileModeOf, umask022Folder } from '@zkesim/testing/files/umaskFolder';
import { startBundledNode } from '../src/node/bundledNode.js';

const folder = umask022Folder('bundled-node-modes-');

it('makes its data folder (and the folders above it it makes) 0700 under umask 022', async () => {
  const dataDir = join(folder(), 'data', 'chain');
  const node = await startBundledNode({ dataDir });
  try {
    expect(fileModeOf(dataDir)).toBe('700');
    expect(fileModeOf(join(folder(), 'data'))).toBe('700');
  } finally {
    await node.stop();
  }
});
