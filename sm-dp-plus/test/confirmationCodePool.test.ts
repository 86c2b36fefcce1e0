// A wrong confirmation code on PostgreSQL with a small connection pool: the refusal (SGP.22 §5.6.2, 8.2.7 /
// 3.8) must not need a second pool connection while the call's transaction holds one. With one connection
// per process, a session update awaited inside the transaction waited for the pool's connection timeout and
// turned the refusal into an internal error; a flood of wrong codes would stall every connection the same way.
import { afterEach, expect, it } from 'vitest';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('refuses a wrong confirmation code with 8.2.7 / 3.8 on a one-connection pool, then installs with the right one', { timeout: 120_000 }, async (context) => {
  if (!postgresAvailable()) return context.skip();
  const url = await freshDatabase('smdp_cc_pool');
  h = await startHarness((config) => {
    config.storage = { kind: 'postgres', url, maxConnections: 1, outboxClaimMs: 60_000 };
    config.outbox.pollIntervalMs = 3_600_000;
  }, 1);
  const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'CC-POOL', confirmationCode: '1357' })) as IccidDigits;
  const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
  expect(statusOf(await lpa.initiateAuthentication()).status).toBe('Executed-Success');
  await lpa.authenticateServer('CC-POOL');
  expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
  await lpa.prepareDownload('9999');
  const refused = statusOf(await lpa.getBoundProfilePackage());
  expect([refused.status, refused.subjectCode, refused.reasonCode]).toEqual(['Failed', '8.2.7', '3.8']);
  // The session was kept (the LPA may ask the user again): the right code now binds and installs.
  await lpa.prepareDownload('1357');
  expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
  expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
  expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
});
