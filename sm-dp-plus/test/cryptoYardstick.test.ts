// The crypto yardstick of the SM-DP+ benches (testing/src/bench/downloadCrypto.ts): the server's calls of one download as steps in
// their order (the hot loop runs them back to back, the cold timing one at a time with the cache evicted between
// two), both curves. Values are not asserted (speed is the bench's business), only that the work is done.
import { describe, expect, it } from 'vitest';
import { coldCryptoOfOneDownload, cryptoOfOneDownloadWork } from '@zkesim/testing/bench/downloadCrypto';

describe('crypto yardstick', () => {
  it.each(['P-256', 'brainpoolP256r1'] as const)('runs the server crypto of one download step by step, and times it cold (%s)', { timeout: 60_000 }, (curve) => {
    const work = cryptoOfOneDownloadWork(curve);
    // 3 signatures, 4 verifications, the one-time key and its agreement, the BSP keys and the three protected parts.
    expect(work.serverSteps).toHaveLength(12);
    for (const step of work.serverSteps) step();
    expect(() => work.server()).not.toThrow();
    expect(() => work.card()).not.toThrow();
    const cold = coldCryptoOfOneDownload(curve, 3);
    expect(Number.isFinite(cold) && cold > 0).toBe(true);
  });

  it('refuses to protect before the key agreement (the steps keep their order)', () => {
    const work = cryptoOfOneDownloadWork('P-256');
    const protect = work.serverSteps[8];
    expect(() => protect?.()).toThrow(/before the key agreement/);
  });
});
