// The fixtures ES2+ cannot make, prepared on the test SM-DP+ the way an operator would prepare them on
// theirs: an expired order, one whose download attempts are used up (both changed in the SM-DP+'s
// database), and orders of profiles imported with Profile Policy Rules in their metadata (PPR3, which the
// SGP.26 software eUICC forbids, and PPR1, which it allows). All for the SGP.26 EID.
import { importProfiles, readTemplateFiles } from '@zkesim/sm-dp-plus';
import { systemRandom } from '@zkesim/rsp-server';
import { eidWithCheckDigits, type IccidDigits } from '@zkesim/protocol';
import { profilesDirectory, type Harness } from '../smdp/harness.js';
import { statusOf } from '../smdp/https.js';
import { sgp26Eid } from '../smdp/sgp26Card.js';

/** The EID of the second SGP.26 eUICC the runner plays (the SGP.26 EID with another serial, same EIN). */
export const SECOND_EID = eidWithCheckDigits(`${sgp26Eid.slice(0, 24)}999999`);

export interface PreparedFixture {
  kind: 'expired' | 'attemptsExhausted' | 'pprForbidden' | 'pprAllowed';
  matchingId: string;
}

export async function prepareSmdpFixtures(h: Harness, downloadMaxAttempts: number): Promise<PreparedFixture[]> {
  const changed = async (matchingId: string, change: (orderId: number) => Promise<void>): Promise<void> => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId })) as IccidDigits;
    const order = await h.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccid));
    await change(order?.orderId ?? 0);
  };
  await changed('FIX-EXPIRED', (orderId) => h.smdp.repository.transaction((tx) => tx.updateOrder(orderId, { expiresAt: Date.now() - 1000 })));
  await changed('FIX-USED-UP', (orderId) =>
    h.smdp.repository.transaction(async (tx) => {
      for (let attempt = 0; attempt < downloadMaxAttempts; attempt++) await tx.incrementDownloadAttempts(orderId);
    }),
  );
  const template = readTemplateFiles(`${profilesDirectory}TS48V1-A-UNIQUE.der`);
  const deps = { repository: h.smdp.repository, random: systemRandom, clock: { now: () => Date.now() } };
  const withRules = async (iccid: string, rule: 'ppr1' | 'ppr3', matchingId: string): Promise<void> => {
    await importProfiles(deps, template, { iccids: [iccid], metadata: { profilePolicyRules: [rule], profileOwner: { mccMnc: '32F451' } } });
    await h.es2('downloadOrder', { iccid, eid: sgp26Eid });
    const confirmed = await h.es2('confirmOrder', { iccid, matchingId, releaseFlag: true });
    if (statusOf(confirmed).status !== 'Executed-Success') throw new Error(`confirmOrder ${iccid}: ${confirmed.text}`);
  };
  await withRules('8949449999999990304', 'ppr3', 'FIX-PPR-FORBIDDEN');
  await withRules('8949449999999990312', 'ppr1', 'FIX-PPR-ALLOWED');
  return [
    { kind: 'expired', matchingId: 'FIX-EXPIRED' },
    { kind: 'attemptsExhausted', matchingId: 'FIX-USED-UP' },
    { kind: 'pprForbidden', matchingId: 'FIX-PPR-FORBIDDEN' },
    { kind: 'pprAllowed', matchingId: 'FIX-PPR-ALLOWED' },
  ];
}
