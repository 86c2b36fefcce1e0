// SM-DP+ cases on ES9+.HandleNotification (§5.6.4) (SGP.22 v2.2.2, procedures §3.1.3). Part of the ES9+ function cases (functionCases.ts).
import { sgp23 } from '../runner/sgp23.js';
import { expectFailure } from './checks.js';
import type { SmdpCase } from './env.js';
import { authenticatedServer, bound } from './functionShared.js';

export function handleNotificationCases(): SmdpCase[] {
  return [
    {
      id: 'ES9+.HandleNotification.installationResult',
      title: 'the eUICC\'s signed Profile Installation Result is acknowledged with HTTP 204 and no body (§5.6.4, §6.5.2.4)',
      // Which of the test case's nominal sequences a successful installation result plays is not certain: the test case only.
      sgp23: sgp23('4.3.15.2.1'),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await bound(t, env, env.fixture('released').matchingId);
        const result = await t.precondition('LoadBoundProfilePackage', () => s.loadBoundProfilePackage());
        const answer = await s.handleNotification(result);
        t.equal('HTTP status', '204', String(answer.http.status));
        t.equal('body', '', answer.http.text);
      },
    },
    {
      id: 'ES9+.HandleNotification.installationResult.repeated',
      // SPEC-AMBIGUITY: §5.6.4 gives HandleNotification no error of its own and the LPA retries a notification whose
      // acknowledgement it did not get (§3.5), so a repeated one is acknowledged like the first.
      title: 'the same Profile Installation Result sent again is acknowledged with HTTP 204 (§5.6.4: the LPA may retry)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await bound(t, env, env.fixture('released').matchingId);
        const result = await t.precondition('LoadBoundProfilePackage', () => s.loadBoundProfilePackage());
        await t.precondition('first HandleNotification', async () => s.handleNotification(result));
        t.equal('HTTP status (repeated)', '204', String((await s.handleNotification(result)).http.status));
      },
    },
    {
      id: 'ES9+.HandleNotification.installedProfileIsGone',
      title: 'after a successful installation result the order is no longer downloadable (§3.1.3: the profile is Installed)',
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const s = await bound(t, env, id);
        const result = await t.precondition('LoadBoundProfilePackage', () => s.loadBoundProfilePackage());
        t.equal('HTTP status', '204', String((await s.handleNotification(result)).http.status));
        const again = await authenticatedServer(t, env, id);
        // SPEC-AMBIGUITY: as after endUserRejection, the installed order's MatchingID is no longer known (8.2.6 / 3.8).
        expectFailure(t, 'AuthenticateClient after installation', await again.authenticateClient(), 'matchingIdRefused');
      },
    },
  ];
}
