// ES2+ cases (SGP.22 v2.2.2 §5.3), run when ES2+ credentials are given.
import { randomBytes } from 'node:crypto';
import { expectFailure, expectSuccess } from './checks.js';
import type { SmdpCase } from './env.js';

export function es2Cases(): SmdpCase[] {
  const es2 = (env: Parameters<SmdpCase['run']>[1]) => env.es2 ?? env.t.inconclusive('no ES2+ credentials given');
  return [
    {
      id: 'ES2+.DownloadOrder.nominal',
      title: 'DownloadOrder for the profile type answers Executed-Success with a 19 or 20 digit ICCID (§5.3.1)',
      run: async (t, env) => {
        const answer = await es2(env).call('downloadOrder', { eid: env.identity.eid, profileType: es2(env).options.profileType }, t);
        expectSuccess(t, 'DownloadOrder', answer);
        t.ok(/^\d{19,20}$/.test(String(answer.json?.iccid)), 'iccid is 19 or 20 digits', String(answer.json?.iccid));
      },
    },
    {
      id: 'ES2+.DownloadOrder.unknownProfileType',
      title: 'DownloadOrder for an unknown profile type is refused with 8.2.5 / 3.9 (§5.3.1)',
      run: async (t, env) => {
        expectFailure(t, 'DownloadOrder', await es2(env).call('downloadOrder', { profileType: `NO-SUCH-${randomBytes(4).toString('hex')}` }, t), 'profileTypeUnknown');
      },
    },
    {
      id: 'ES2+.ConfirmOrder.unknownIccid',
      title: 'ConfirmOrder for an ICCID the SM-DP+ does not hold is refused with 8.2.1 / 3.9 (§5.3.2)',
      run: async (t, env) => {
        expectFailure(t, 'ConfirmOrder', await es2(env).call('confirmOrder', { iccid: '8900000000000000001', releaseFlag: true }, t), 'iccidUnknown');
      },
    },
    {
      id: 'ES2+.ConfirmOrder.nominal',
      title: 'ConfirmOrder of an allocated profile answers Executed-Success with the MatchingID given (§5.3.2)',
      run: async (t, env) => {
        const ordered = await t.precondition('DownloadOrder', async () => es2(env).call('downloadOrder', { eid: env.identity.eid, profileType: es2(env).options.profileType }, t));
        const matchingId = `CONF-${randomBytes(6).toString('hex').toUpperCase()}`;
        const answer = await es2(env).call('confirmOrder', { iccid: ordered.json?.iccid, matchingId, releaseFlag: true }, t);
        expectSuccess(t, 'ConfirmOrder', answer);
        t.equal('matchingId', matchingId, String(answer.json?.matchingId));
      },
    },
    {
      id: 'ES2+.ConfirmOrder.missingIccid',
      title: 'ConfirmOrder without iccid is refused with 1.6 / 2.2 naming iccid (§6.5.1.4)',
      run: async (t, env) => {
        expectFailure(t, 'ConfirmOrder', await es2(env).call('confirmOrder', { releaseFlag: true }, t), 'missingRequestField', 'iccid');
      },
    },
  ];
}
