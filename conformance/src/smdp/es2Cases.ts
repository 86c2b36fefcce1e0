// ES2+ cases (SGP.22 v2.2.2 §5.3), run when ES2+ credentials are given.
import { randomBytes } from 'node:crypto';
import { expectFailure, expectSuccess } from './checks.js';
import type { SmdpCase } from './env.js';

type Env = Parameters<SmdpCase['run']>[1];

export function es2Cases(): SmdpCase[] {
  const es2 = (env: Env) => env.es2 ?? env.t.inconclusive('no ES2+ credentials given');
  /** Precondition: DownloadOrder for the played eUICC's EID; the ICCID. */
  const ordered = (env: Env): Promise<string> =>
    env.t.precondition('DownloadOrder', async () => {
      const answer = await es2(env).call('downloadOrder', { eid: env.identity.eid, profileType: es2(env).options.profileType }, env.t);
      if (answer.status !== 'Executed-Success' || typeof answer.json?.iccid !== 'string') throw new Error(`DownloadOrder answered ${answer.status ?? answer.http.status} ${answer.code ?? ''}`);
      return answer.json.iccid;
    });
  const matchingId = () => `CONF-${randomBytes(6).toString('hex').toUpperCase()}`;
  const confirmed = async (env: Env, iccid: string, id: string, releaseFlag: boolean): Promise<void> => {
    await env.t.precondition('ConfirmOrder', async () => {
      const answer = await es2(env).call('confirmOrder', { iccid, matchingId: id, releaseFlag }, env.t);
      if (answer.status !== 'Executed-Success') throw new Error(`ConfirmOrder answered ${answer.status ?? answer.http.status} ${answer.code ?? ''}`);
    });
  };
  return [
    {
      id: 'ES2+.DownloadOrder.iccidNotAvailable',
      title: 'DownloadOrder naming the ICCID of an order already placed is refused with 8.2.1 / 3.3 (§5.3.1)',
      run: async (t, env) => {
        const iccid = await ordered(env);
        expectFailure(t, 'DownloadOrder', await es2(env).call('downloadOrder', { iccid }, t), 'iccidNotAvailable');
      },
    },
    {
      id: 'ES2+.ConfirmOrder.matchingIdInUse',
      title: 'ConfirmOrder with a MatchingID another order already has is refused with 8.2.6 / 3.3 (§5.3.2)',
      run: async (t, env) => {
        const id = matchingId();
        await confirmed(env, await ordered(env), id, true);
        expectFailure(t, 'ConfirmOrder', await es2(env).call('confirmOrder', { iccid: await ordered(env), matchingId: id, releaseFlag: true }, t), 'matchingIdConflicting');
      },
    },
    {
      id: 'ES2+.ConfirmOrder.otherEid',
      title: 'ConfirmOrder with an EID other than the order\'s is refused with 8.1.1 / 3.10 (§5.3.2)',
      run: async (t, env) => {
        const { otherEid } = await import('./es2.js');
        expectFailure(t, 'ConfirmOrder', await es2(env).call('confirmOrder', { iccid: await ordered(env), eid: otherEid(env.identity.eid), releaseFlag: true }, t), 'eidInvalidAssociation');
      },
    },
    {
      id: 'ES2+.ReleaseProfile.twice',
      title: 'ReleaseProfile of a confirmed order succeeds once; a second one is refused with 8.2.1 / 3.5 (§5.3.4)',
      run: async (t, env) => {
        const iccid = await ordered(env);
        await confirmed(env, iccid, matchingId(), false);
        expectSuccess(t, 'ReleaseProfile', await es2(env).call('releaseProfile', { iccid }, t));
        expectFailure(t, 'ReleaseProfile (again)', await es2(env).call('releaseProfile', { iccid }, t), 'iccidCannotBeReleased');
      },
    },
    {
      id: 'ES2+.CancelOrder.nominal',
      title: 'CancelOrder of a placed order back to Available answers Executed-Success (§5.3.3)',
      run: async (t, env) => {
        const iccid = await ordered(env);
        expectSuccess(t, 'CancelOrder', await es2(env).call('cancelOrder', { iccid, eid: env.identity.eid, finalProfileStatusIndicator: 'Available' }, t));
      },
    },
    {
      id: 'ES2+.CancelOrder.otherMatchingId',
      title: 'CancelOrder naming a MatchingID other than the order\'s is refused with 8.2.6 / 3.10 (§5.3.3)',
      run: async (t, env) => {
        const iccid = await ordered(env);
        await confirmed(env, iccid, matchingId(), true);
        expectFailure(t, 'CancelOrder', await es2(env).call('cancelOrder', { iccid, matchingId: matchingId(), finalProfileStatusIndicator: 'Available' }, t), 'matchingIdInvalidAssociation');
      },
    },
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
