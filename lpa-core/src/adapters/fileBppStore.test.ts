// The on-disk BPP store keeps an interrupted download for `zkesim lpa profile resume` in a later process.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileBppStore } from './fileBppStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('fileBppStore', () => {
  it('saves, finds the latest, updates progress and removes downloads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpa-bpp-'));
    dirs.push(dir);
    const store = fileBppStore(join(dir, 'downloads'));
    expect(store.latest()).toBeUndefined();
    const download = { transactionId: Uint8Array.of(1, 2, 3), smdpAddress: 'smdp.example.com', iccid: new Uint8Array(10).fill(0x98), boundProfilePackage: Uint8Array.of(0xbf, 0x36, 0x00), piecesLoaded: 0 };
    store.save(download);
    store.save({ ...download, piecesLoaded: 4 });
    expect(store.load(Uint8Array.of(1, 2, 3))).toEqual({ ...download, piecesLoaded: 4 });
    expect(store.latest()?.piecesLoaded).toBe(4);
    expect(statSync(join(dir, 'downloads', '010203.json')).mode & 0o777).toBe(0o600);
    store.remove(Uint8Array.of(1, 2, 3));
    expect(store.load(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });
});
