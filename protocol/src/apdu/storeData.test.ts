// STORE DATA segmentation as an LPA sends it (SGP.22 §5.7.2, GlobalPlatform §11.11; the framing lpac uses).
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { STORE_DATA_BLOCK_SIZE, storeDataBlockCount, storeDataCommands } from './storeData.js';

describe('STORE DATA segmentation', () => {
  it('sends a short command as one last block (P1 91, P2 00) without Le', () => {
    expect(storeDataCommands(Uint8Array.of(0xbf, 0x2e, 0x00), 1).map((apdu) => toHex(apdu, 'upper'))).toEqual(['81E2910003BF2E00']);
  });

  it('numbers 120-byte blocks in P2 and marks only the last with P1 b8', () => {
    const blocks = storeDataCommands(new Uint8Array(250).fill(0x5a), 1);
    expect(blocks.map((apdu) => toHex(apdu.subarray(0, 5), 'upper'))).toEqual(['81E2110078', '81E2110178', '81E291020A']);
    expect(blocks.reduce((total, apdu) => total + apdu.length - 5, 0)).toBe(250);
    expect(storeDataCommands(new Uint8Array(2 * STORE_DATA_BLOCK_SIZE), 0)).toHaveLength(2);
  });

  it('uses the GlobalPlatform CLA of channels above 3', () => {
    expect(toHex(storeDataCommands(Uint8Array.of(0xbf, 0x20, 0x00), 5)[0] ?? new Uint8Array(0), 'upper')).toBe('C1E2910003BF2000');
  });

  it('refuses a command that needs more than 256 blocks (P2 is one byte)', () => {
    expect(storeDataBlockCount(256 * STORE_DATA_BLOCK_SIZE)).toBe(256);
    expect(() => storeDataCommands(new Uint8Array(256 * STORE_DATA_BLOCK_SIZE + 1), 1)).toThrow(RangeError);
  });
});
