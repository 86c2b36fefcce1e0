// Mutation self-test of the eUICC cases: each mutant eUICC (the software eUICC behind a front that answers
// one function as a card missing one check would) fails exactly the cases of that check.
import { describe, expect, it } from 'vitest';
import { loadServerCredentials, runEuiccConformance, sgp26ServerFiles } from '../src/index.js';
import { euiccMutants, mutantTransport } from '@zkesim/testing/conformance/mutantEuicc';
import { installProfile } from '@zkesim/testing/euicc/download';
import { sgp26Card } from '@zkesim/testing/smdp/sgp26Card';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

const EXPECTED: Record<string, string[]> = {
  enableProfileExists: ['ES10c.EnableProfile.iccidNotFound'],
  removeNotificationExists: ['ES10b.RemoveNotificationFromList.unknown'],
  // Our DER reader, like most, accepts a long-form length where the short one is required: only the case that
  // re-encodes the answer and compares bytes sees the difference.
  derLength: ['ES10b.GetEUICCInfo1.der'],
};

describe('mutant eUICCs', () => {
  for (const mutant of euiccMutants) {
    it(`${mutant.name} (${mutant.disables}) fails exactly its cases`, async () => {
      const { card } = sgp26Card('nist');
      await installProfile(card);
      const results = await runEuiccConformance({
        card: { transport: mutantTransport(card, mutant), close: async () => undefined },
        server: loadServerCredentials(sgp26ServerFiles(sgp26(''))),
      });
      const notPassed = results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`);
      expect(results.filter((result) => result.verdict === 'fail').map((result) => result.id), notPassed.join('\n')).toEqual(EXPECTED[mutant.name]);
      expect(results.filter((result) => result.verdict === 'inconclusive')).toEqual([]);
    });
  }
});
