// `zkesim conformance smds` against our SM-DS (real HTTPS and mutual TLS, a development PKI, the PKI's
// eUICC played by the runner, ES12 with the PKI's CERT.DPtls and a second SM-DP+'s): every case passes,
// and without SM-DP+ credentials the ES12 cases are inconclusive, never pass.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmdsConformance, type CaseResult } from '@zkesim/conformance';
import { createSmdsLab, type SmdsLab } from '@zkesim/testing/smds/lab';

let lab: SmdsLab;
let address: string;
const files = (name: string) => ({ certificate: join(lab.pkiDir, 'nist', `${name}.cert.pem`), key: join(lab.pkiDir, 'nist', `${name}.key.pem`) });
const run = (withEs12: boolean): Promise<CaseResult[]> =>
  runSmdsConformance({
    url: `https://${address}`,
    ciFile: lab.ciPemPath,
    identity: { euiccCertificate: files('euicc').certificate, eumCertificate: files('eum').certificate, euiccKey: files('euicc').key },
    resolve: { localhost: '127.0.0.1' },
    ...(withEs12 ? { smdp: files('dptls'), otherSmdp: files(lab.issueDpTls('other-smdp.example')) } : {}),
    defaultTimeoutMs: 15_000,
  });

beforeAll(async () => {
  lab = createSmdsLab();
  address = (await lab.startSmds('conformance')).address;
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

describe('conformance smds against our SM-DS', () => {
  it('runs at least 15 cases and every one passes, each having asserted something', async () => {
    const results = await run(true);
    expect(results.filter((result) => result.verdict !== 'pass').map((result) => `${result.verdict} ${result.id}: ${result.reason}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(15);
    for (const result of results) expect(result.checks.length, result.id).toBeGreaterThan(0);
  }, 60_000);

  it('without SM-DP+ credentials the ES12 cases that need them are inconclusive', async () => {
    const results = await run(false);
    const inconclusive = results.filter((result) => result.verdict === 'inconclusive').map((result) => result.id);
    expect(inconclusive.sort()).toEqual(
      ['ES12.DeleteEvent.nominal', 'ES12.DeleteEvent.otherSmdp', 'ES12.RegisterEvent.conflict', 'ES12.RegisterEvent.malformedAddress', 'ES12.RegisterEvent.nominal', 'ES12.RegisterEvent.retried'].sort(),
    );
    expect(results.filter((result) => result.verdict === 'fail')).toEqual([]);
  }, 60_000);
});
