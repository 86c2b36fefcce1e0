// Mutation self-test of the SM-DS cases: each mutant SM-DS (ours behind a front that defeats one check,
// testing/conformance/mutantSmds) makes exactly the cases of that check fail, and no other case of the
// functions concerned.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmdsConformance } from '@zkesim/conformance';
import { smdsMutants, startSmdsMutant, type LabCredential } from '@zkesim/testing/conformance/mutantSmds';
import { createSmdsLab, type SmdsLab } from '@zkesim/testing/smds/lab';

let lab: SmdsLab;
let smds: { address: string; peerAddress: string };
let smdp: LabCredential;
let otherSmdp: LabCredential;
let wrongRole: LabCredential;
const files = (name: string): LabCredential => ({ certificate: join(lab.pkiDir, 'nist', `${name}.cert.pem`), key: join(lab.pkiDir, 'nist', `${name}.key.pem`) });

beforeAll(async () => {
  lab = createSmdsLab();
  smds = await lab.startSmds('mutants');
  smdp = files('dptls');
  otherSmdp = files(lab.issueDpTls('other-smdp.example'));
  wrongRole = files('dstls');
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

const EXPECTED: Record<string, { only: string; fail: string[] }> = {
  smdsAddress: { only: 'ES11.InitiateAuthentication.*', fail: ['ES11.InitiateAuthentication.invalidSmdsAddress'] },
  euiccSignature1: { only: 'ES11.AuthenticateClient.*', fail: ['ES11.AuthenticateClient.badEuiccSignature1'] },
  eventEid: { only: 'ES12.*,ES11.AuthenticateClient.*', fail: ['ES12.RegisterEvent.nominal'] },
  registrant: { only: 'ES12.*', fail: ['ES12.DeleteEvent.otherSmdp'] },
};

describe('mutant SM-DSs', () => {
  it('every mutant has an expectation', () => {
    expect(smdsMutants(lab).map((mutant) => mutant.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const name of Object.keys(EXPECTED)) {
    it(`${name} fails exactly its cases`, async () => {
      const mutant = smdsMutants(lab).find((candidate) => candidate.name === name);
      const expected = EXPECTED[name];
      if (mutant === undefined || expected === undefined) throw new Error(`no mutant ${name}`);
      const front = await startSmdsMutant(mutant, lab, smds, [smdp, otherSmdp, wrongRole]);
      try {
        const results = await runSmdsConformance({
          url: `https://${front.address}`,
          es12Url: `https://${front.peerAddress}`,
          smdsAddress: smds.address,
          ciFile: lab.ciPemPath,
          identity: { euiccCertificate: files('euicc').certificate, eumCertificate: files('eum').certificate, euiccKey: files('euicc').key },
          resolve: { localhost: '127.0.0.1' },
          smdp,
          otherSmdp,
          wrongRole,
          only: expected.only,
          defaultTimeoutMs: 15_000,
        });
        const notPassed = results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`);
        expect(results.filter((result) => result.verdict === 'fail').map((result) => result.id), notPassed.join('\n')).toEqual(expected.fail);
        expect(results.filter((result) => result.verdict === 'inconclusive'), notPassed.join('\n')).toEqual([]);
        expect(results.filter((result) => result.verdict === 'pass').length).toBeGreaterThan(0);
      } finally {
        await front.close();
      }
    });
  }
});
