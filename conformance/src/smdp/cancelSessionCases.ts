// SM-DP+ cases on ES9+.CancelSession (§5.6.5) (SGP.22 v2.2.2, procedures §3.1.3). Part of the ES9+ function cases (functionCases.ts).
import { CancelSessionReason, signRaw } from '@zkesim/protocol';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { sgp23 } from '../runner/sgp23.js';
import { expectFailure, expectSuccess } from './checks.js';
import type { SmdpCase } from './env.js';
import { hex, authenticatedServer, authenticatedClient, bound, flipByte } from './functionShared.js';

/** SGP.23 4.3.16.2.1 test sequence of each reason after AuthenticateClient (#01 to #04 in reason order). */
const AFTER_AUTHENTICATE_CLIENT_SEQUENCE: Readonly<Record<string, number>> = { endUserRejection: 1, postponed: 2, timeout: 3, pprNotAllowed: 4 };

export function cancelSessionCases(): SmdpCase[] {
  const reasons = Object.entries(CancelSessionReason.named) as [string, number][];
  const cases: SmdpCase[] = reasons.map(([name, value]) => {
    const sequence = AFTER_AUTHENTICATE_CLIENT_SEQUENCE[name];
    return {
      id: `ES9+.CancelSession.afterAuthenticateClient.${name}`,
      title: `CancelSession with reason ${name}(${value}) after AuthenticateClient is accepted (§5.6.5)`,
      ...(sequence === undefined ? {} : { sgp23: sgp23('4.3.16.2.1', sequence) }),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        const signed = await t.precondition('ES10b.CancelSession', () => s.cardCancelSession(value));
        expectSuccess(t, 'CancelSession', await s.cancelSession(signed));
      },
    };
  });
  cases.push(
    {
      id: 'ES9+.CancelSession.afterBpp.postponed',
      title: 'CancelSession postponed after GetBoundProfilePackage is accepted and the order stays downloadable (§5.6.5, §3.1.3)',
      sgp23: sgp23('4.3.16.2.2', 2),
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const s = await bound(t, env, id);
        expectSuccess(t, 'CancelSession', await s.cancelSession(await s.cardCancelSession(CancelSessionReason.named.postponed)));
        const again = await authenticatedServer(t, env, id);
        expectSuccess(t, 'AuthenticateClient after postponed', await again.authenticateClient());
      },
    },
    {
      id: 'ES9+.CancelSession.endUserRejection.closesOrder',
      title: 'after CancelSession endUserRejection the order is no longer downloadable (§5.6.5: the profile goes to Error)',
      // Sequence #01, then a further check that the order is closed.
      sgp23: sgp23('4.3.16.2.1', 1),
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const s = await authenticatedClient(t, env, id);
        expectSuccess(t, 'CancelSession', await s.cancelSession(await s.cardCancelSession(CancelSessionReason.named.endUserRejection)));
        const again = await authenticatedServer(t, env, id);
        // SPEC-AMBIGUITY: §5.6.5 ends the order on endUserRejection but names no code for a later attempt with its
        // MatchingID; an ended order's MatchingID is no longer known, so "MatchingID refused" (8.2.6 / 3.8) of §5.6.3.
        expectFailure(t, 'AuthenticateClient after endUserRejection', await again.authenticateClient(), 'matchingIdRefused');
      },
    },
    {
      id: 'ES9+.CancelSession.unknownTransactionId',
      title: 'CancelSession for a transactionId the SM-DP+ never issued is refused with 8.10.1 / 3.9 (§5.6.5)',
      // Unknown in the JSON and in the signed ASN.1 at once: neither #06 (JSON) nor #07 (ASN.1) alone, so the test case only.
      sgp23: sgp23('4.3.16.2.1'),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        const other = hex(randomBytes(16));
        // The card signs cancellations of its own session only: the eUICC's key signs one for the unknown transactionId.
        const { CancelSessionResponse, EuiccCancelSessionSigned } = await import('@zkesim/protocol');
        const real = CancelSessionResponse.decode(await t.precondition('ES10b.CancelSession', () => s.cardCancelSession(CancelSessionReason.named.postponed)));
        if (!('cancelSessionResponseOk' in real)) return t.inconclusive('the eUICC refused CancelSession');
        const signed = EuiccCancelSessionSigned.encode({ ...real.cancelSessionResponseOk.euiccCancelSessionSigned, transactionId: Buffer.from(other, 'hex') });
        const key = createPrivateKey({ key: Buffer.from(env.identity.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
        const response = CancelSessionResponse.encode({
          cancelSessionResponseOk: { euiccCancelSessionSigned: EuiccCancelSessionSigned.decode(signed), euiccCancelSessionSignature: signRaw(key, signed) },
        });
        expectFailure(t, 'CancelSession', await s.cancelSession(response, other), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.CancelSession.twice',
      title: 'a second CancelSession of an ended session is refused with 8.10.1 / 3.9 (§5.6.5)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        const signed = await s.cardCancelSession(CancelSessionReason.named.endUserRejection);
        expectSuccess(t, 'CancelSession', await s.cancelSession(signed));
        expectFailure(t, 'CancelSession (again)', await s.cancelSession(signed), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.CancelSession.badSignature',
      title: 'a CancelSessionResponse whose euiccCancelSessionSignature has one bit changed is refused with 8.1 / 6.1 (§5.6.5)',
      sgp23: sgp23('4.3.16.2.1', 8),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        const signed = await t.precondition('ES10b.CancelSession', () => s.cardCancelSession(CancelSessionReason.named.postponed));
        expectFailure(t, 'CancelSession', await s.cancelSession(flipByte(signed, signed.length - 4)), 'euiccVerificationFailed');
      },
    },
    {
      id: 'ES9+.CancelSession.otherSmdpOid',
      title: 'a CancelSessionResponse naming another SM-DP+ OID, signed by the eUICC, is refused with 8.8 / 3.10 (§5.6.5)',
      sgp23: sgp23('4.3.16.2.1', 9),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        const { CancelSessionResponse, EuiccCancelSessionSigned } = await import('@zkesim/protocol');
        const signed = EuiccCancelSessionSigned.encode({ transactionId: Buffer.from(s.transactionId, 'hex'), smdpOid: '2.999.99', reason: CancelSessionReason.named.postponed });
        const key = createPrivateKey({ key: Buffer.from(env.identity.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
        const response = CancelSessionResponse.encode({
          cancelSessionResponseOk: { euiccCancelSessionSigned: EuiccCancelSessionSigned.decode(signed), euiccCancelSessionSignature: signRaw(key, signed) },
        });
        expectFailure(t, 'CancelSession', await s.cancelSession(response), 'smdpOidInvalid');
      },
    },
  );
  return cases;
}
