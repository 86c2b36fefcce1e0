// The eUICC cases against our software eUICC (the SGP.26 test card, real APDUs through protocol's
// Es10Channel): at least 50 cases, every one passes; the runner plays the SM-DP+ with the SGP.26 DPauth/DPpb.
import { describe, expect, it } from 'vitest';
import { loadServerCredentials, runEuiccConformance, sgp26ServerFiles } from '../src/index.js';
import { installProfile } from '@zkesim/testing/euicc/download';
import { sgp26Card } from '@zkesim/testing/smdp/sgp26Card';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

describe('conformance euicc against the software eUICC', () => {
  it('runs at least 50 cases and every one passes', async () => {
    const { card } = sgp26Card('nist');
    // One installed profile: a pending installation notification and a profile for the ES10c reads.
    await installProfile(card);
    const results = await runEuiccConformance({
      card: { transport: card, close: async () => undefined },
      server: loadServerCredentials(sgp26ServerFiles(sgp26(''))),
      defaultTimeoutMs: 10_000,
    });
    expect(results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(50);
  });

  it('with --destructive, eUICCMemoryReset leaves no operational profile and no default SM-DP+ address', async () => {
    const { card } = sgp26Card('nist');
    const results = await runEuiccConformance({
      card: { transport: card, close: async () => undefined },
      server: loadServerCredentials(sgp26ServerFiles(sgp26(''))),
      destructive: true,
      only: 'ES10c.eUICCMemoryReset.*',
    });
    expect(results.map((result) => [result.id, result.verdict, result.reason])).toEqual([['ES10c.eUICCMemoryReset.operationalProfiles', 'pass', '']]);
  });

  it('a card that never answers: the run stops with the reason, no case runs', async () => {
    const silent = { transmit: () => new Promise<Uint8Array>(() => undefined) };
    await expect(
      runEuiccConformance({ card: { transport: silent, close: async () => undefined }, server: loadServerCredentials(sgp26ServerFiles(sgp26(''))), defaultTimeoutMs: 300 }),
    ).rejects.toThrow('the card did not open a channel to the ISD-R (MANAGE CHANNEL, SELECT) within 300 ms');
  });
});
