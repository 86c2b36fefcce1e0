// Mutation self-test of the conformance runner: each mutant SM-DP+ (ours behind a front that defeats one
// check, testing/conformance/mutantSmdp) makes exactly the cases of that check fail, and no other case of
// the functions concerned.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport, runSmdpConformance, sgp26IdentityFiles } from '@zkesim/conformance';
import { mutants, startMutant, writeSecondSgp26Identity } from '@zkesim/testing/conformance/mutantSmdp';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';
import { SECOND_EID } from '@zkesim/testing/conformance/smdpFixtures';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'conformance-mutants-'));
/** A second SGP.26 eUICC, of another EID, written once. */
let second: ReturnType<typeof writeSecondSgp26Identity> | undefined;
const secondIdentity = () => (second ??= writeSecondSgp26Identity(dir, SECOND_EID));
beforeAll(async () => {
  h = await startHarness(() => undefined, 150);
}, 60_000);
afterAll(() => h?.close());

const EXPECTED: Record<string, { only: string; fail: string[] }> = {
  smdpAddress: { only: 'ES9+.InitiateAuthentication.*', fail: ['ES9+.InitiateAuthentication.invalidSmdpAddress'] },
  svn: { only: 'ES9+.InitiateAuthentication.*', fail: ['ES9+.InitiateAuthentication.unsupportedSvn'] },
  euiccSignature1: { only: 'ES9+.AuthenticateClient.*', fail: ['ES9+.AuthenticateClient.badEuiccSignature1'] },
  eumChain: { only: 'ES9+.AuthenticateClient.*', fail: ['ES9+.AuthenticateClient.badEumCertificateSignature'] },
  transactionId: {
    only: 'ES9+.AuthenticateClient.*,ES9+.GetBoundProfilePackage.*,ES9+.CancelSession.*',
    // CancelSession.unknownTransactionId still passes: the transactionId the eUICC signed inside the
    // CancelSessionResponse is checked too, and that second check is not disabled.
    fail: ['ES9+.AuthenticateClient.unknownTransactionId', 'ES9+.GetBoundProfilePackage.unknownTransactionId'],
  },
  eidBinding: { only: 'ES9+.AuthenticateClient.*', fail: ['ES9+.AuthenticateClient.otherEid', 'ES9+.AuthenticateClient.boundToAnotherEid'] },
  derStrictness: {
    only: '*.binding.*',
    fail: ['ES9+.InitiateAuthentication.binding.indefiniteLength.euiccInfo1', 'ES9+.AuthenticateClient.binding.indefiniteLength.authenticateServerResponse'],
  },
  confirmationCode: { only: 'ES9+.GetBoundProfilePackage.*', fail: ['ES9+.GetBoundProfilePackage.wrongConfirmationCode'] },
  contentType: {
    only: '*.binding.contentType,*.binding.adminProtocol,ES9+.InitiateAuthentication.nominal.*',
    fail: ['ES9+.InitiateAuthentication', 'ES9+.AuthenticateClient', 'ES9+.GetBoundProfilePackage', 'ES9+.HandleNotification', 'ES9+.CancelSession'].map((fn) => `${fn}.binding.contentType`),
  },
};

describe('mutant SM-DP+s', () => {
  // The EID the order names, else the one it was bound to at its first download.
  const orderEid = async (matchingId: string) => {
    const order = await h.smdp.repository.transaction((tx) => tx.getOpenOrderByMatchingId(matchingId as never));
    return order?.eid ?? order?.boundEid;
  };
  for (const mutant of mutants(orderEid)) {
    it(`${mutant.name} (${mutant.disables}) fails exactly its cases`, async () => {
      const expected = EXPECTED[mutant.name];
      if (expected === undefined) throw new Error(`no expectation for mutant ${mutant.name}`);
      const front = await startMutant(mutant, h.smdp.es9Url, h.pki);
      try {
        const results = await runSmdpConformance({
          url: `https://${smdpHost}:${new URL(front.url).port}`,
          smdpAddress: smdpHost,
          ciFile: h.pki.ciNist,
          identity: sgp26IdentityFiles(sgp26('')),
          otherIdentity: secondIdentity(),
          fixtures: [],
          resolve: { [smdpHost]: '127.0.0.1' },
          es2: { url: `https://${smdpHost}:${new URL(h.smdp.es2Url).port}`, certificate: h.pki.operatorCert, key: h.pki.operatorKey, requester: 'operator', profileType: 'TS48V1-A-UNIQUE' },
          only: expected.only,
          defaultTimeoutMs: 15_000,
        });
        // CONFORMANCE_REPORT_OUT=FILE keeps one mutant's HTML report (docs/conformance-report.png is made from it).
        const out = process.env.CONFORMANCE_REPORT_OUT;
        if (out !== undefined && mutant.name === 'euiccSignature1') {
          writeFileSync(out, htmlReport(results, { title: 'zkesim conformance: smdp (mutant: euiccSignature1 not verified)', target: 'smdp', generatedAt: new Date() }));
        }
        const notPassed = results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`);
        expect(results.filter((result) => result.verdict === 'fail').map((result) => result.id), notPassed.join('\n')).toEqual(expected.fail);
        // Inconclusive only where a fixture ES2+ cannot make was needed.
        expect(results.filter((result) => result.verdict === 'inconclusive').map((result) => result.reason)).toEqual(
          results.filter((result) => result.verdict === 'inconclusive').map(() => expect.stringMatching(/^fixture "(expired|attemptsExhausted|pprForbidden|pprAllowed)"/)),
        );
        expect(results.filter((result) => result.verdict === 'pass').length).toBeGreaterThan(0);
      } finally {
        await front.close();
      }
    });
  }
});
