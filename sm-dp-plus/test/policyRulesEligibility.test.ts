// Eligibility against the eUICC's forbidden Profile Policy Rules (SGP.22 v2.2.2 §2.9, §5.6.3; issue #12
// item 15): a profile whose metadata sets a rule that the eUICC reports in
// euiccInfo2.forbiddenProfilePolicyRules is refused in ES9+.AuthenticateClient with 8.2.5 / 4.3, before any
// binding; a profile whose rules the eUICC allows is downloadable. The software eUICC's default RAT grants
// PPR1 and PPR2 to every operator, so it reports PPR3 as forbidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProfiles } from '../src/inventory/importProfiles.js';
import { readTemplateFiles } from '../src/inventory/templateFiles.js';
import { systemRandom } from '@zkesim/rsp-server';
import { statusOf } from '@zkesim/testing/smdp/https';
import { profilesDirectory, startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import type { IccidDigits } from '@zkesim/protocol';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(() => undefined, 0);
  const template = readTemplateFiles(`${profilesDirectory}TS48V1-A-UNIQUE.der`);
  const deps = { repository: h.smdp.repository, random: systemRandom, clock: { now: () => Date.now() } };
  await importProfiles(deps, template, { iccids: ['8949449999999990304'], metadata: { profilePolicyRules: ['ppr3'], profileOwner: { mccMnc: '32F451' } } });
  await importProfiles(deps, template, { iccids: ['8949449999999990312'], metadata: { profilePolicyRules: ['ppr1'], profileOwner: { mccMnc: '32F451' } } });
});
afterAll(() => h.close());

async function authenticateClient(matchingId: string) {
  const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
  await lpa.initiateAuthentication();
  await lpa.authenticateServer(matchingId);
  return statusOf(await lpa.authenticateClient());
}

async function orderFor(iccid: string, matchingId: string): Promise<void> {
  await h.es2('downloadOrder', { iccid });
  const confirmed = await h.es2('confirmOrder', { iccid, matchingId, releaseFlag: true });
  expect(statusOf(confirmed).status).toBe('Executed-Success');
}

describe('forbidden Profile Policy Rules (SGP.22 §2.9, 8.2.5 / 4.3)', () => {
  it('refuses a profile that sets a rule the eUICC forbids, and leaves it Released', async () => {
    await orderFor('8949449999999990304', 'PPR-FORBIDDEN');
    expect(await authenticateClient('PPR-FORBIDDEN')).toMatchObject({ status: 'Failed', subjectCode: '8.2.5', reasonCode: '4.3' });
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile('8949449999999990304' as IccidDigits)))?.state).toBe('released');
  });

  it('accepts a profile whose rules the eUICC allows', async () => {
    await orderFor('8949449999999990312', 'PPR-ALLOWED');
    expect(await authenticateClient('PPR-ALLOWED')).toMatchObject({ status: 'Executed-Success' });
  });
});
