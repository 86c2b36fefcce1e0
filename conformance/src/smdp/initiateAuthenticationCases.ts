// SM-DP+ cases on ES9+.InitiateAuthentication (§5.6.1) (SGP.22 v2.2.2, procedures §3.1.3). Part of the ES9+ function cases (functionCases.ts).
import { EUICCInfo1, ServerSigned1, encodeTlv, id_rspRole_dp_auth, verifyRaw } from '@zkesim/protocol';
import { subjectKeyIdentifierOf } from '@zkesim/pki';
import { randomBytes } from 'node:crypto';
import type { CaseContext } from '../runner/model.js';
import { sgp23 } from '../runner/sgp23.js';
import { expectFailure, expectSuccess } from './checks.js';
import type { SmdpCase, SmdpEnv } from './env.js';
import type { Es9Session } from './session.js';
import { unb64, hex, signatureValue, checkIssuedByCi, parseCertificateField } from './functionShared.js';

export function initiateAuthenticationCases(): SmdpCase[] {
  // Each nominal field check is a part of SGP.23's nominal sequence, which checks the whole answer.
  const nominal = (id: string, title: string, check: (t: CaseContext, env: SmdpEnv, s: Es9Session) => void): SmdpCase => ({
    id: `ES9+.InitiateAuthentication.${id}`,
    title,
    sgp23: sgp23('4.3.12.2.1', 1),
    run: async (t, env) => {
      const s = await env.session();
      const answer = await s.initiateAuthentication();
      expectSuccess(t, 'InitiateAuthentication', answer);
      check(t, env, s);
    },
  });
  const signed1 = (s: Es9Session) => ServerSigned1.decode(unb64(s.initiateJson.serverSigned1));
  const ask = async (t: CaseContext, env: SmdpEnv, info: Parameters<typeof EUICCInfo1.encode>[0]) => {
    const s = await env.session();
    return s.initiateAuthentication({ euiccChallenge: new Uint8Array(randomBytes(16)), euiccInfo1: EUICCInfo1.encode(info) });
  };
  const ciPKId = (env: SmdpEnv): Uint8Array => subjectKeyIdentifierOf(env.identity.ci) ?? new Uint8Array();
  return [
    nominal('nominal.transactionId', 'nominal: Executed-Success with a transactionId of 1 to 16 bytes in hexadecimal (§5.6.1)', (t, env, s) => {
      t.ok(/^([0-9A-Fa-f]{2}){1,16}$/.test(s.transactionId), 'transactionId is 1 to 16 bytes in hexadecimal', s.transactionId);
    }),
    nominal('nominal.serverSigned1', 'nominal: serverSigned1 carries the same transactionId, the euiccChallenge sent and the SM-DP+ address (§5.6.1)', (t, env, s) => {
      const signed = signed1(s);
      t.equal('serverSigned1.transactionId', s.transactionId.toUpperCase(), hex(signed.transactionId));
      t.equal('serverSigned1.euiccChallenge', hex(s.euiccChallenge), hex(signed.euiccChallenge));
      t.equal('serverSigned1.serverAddress', env.smdpAddress, signed.serverAddress);
      t.equal('serverSigned1.serverChallenge length', '16', String(signed.serverChallenge.length));
    }),
    nominal('nominal.serverSignature1', 'nominal: serverSignature1 verifies over serverSigned1 with the key of serverCertificate (§5.6.1)', (t, env, s) => {
      const certificate = parseCertificateField(t, 'serverCertificate', s.initiateJson.serverCertificate);
      const signature = unb64(s.initiateJson.serverSignature1);
      t.equal('serverSignature1 tag and length', '5F3740', hex(signature.slice(0, 3)));
      t.ok(verifyRaw(certificate.publicKey, unb64(s.initiateJson.serverSigned1), signatureValue(signature)), 'serverSignature1 verifies with CERT.DPauth');
    }),
    nominal('nominal.serverCertificate', 'nominal: serverCertificate is a CERT.DPauth issued by the CI the eUICC trusts (§4.5.2.1)', (t, env, s) => {
      checkIssuedByCi(t, 'serverCertificate', parseCertificateField(t, 'serverCertificate', s.initiateJson.serverCertificate), env.identity.ci, id_rspRole_dp_auth);
    }),
    nominal('nominal.euiccCiPKIdToBeUsed', 'nominal: euiccCiPKIdToBeUsed is the OCTET STRING of the CI key id the eUICC offered (§5.6.1)', (t, env, s) => {
      t.equal('euiccCiPKIdToBeUsed', hex(encodeTlv(0x04, ciPKId(env))), hex(unb64(s.initiateJson.euiccCiPKIdToBeUsed)));
    }),
    {
      id: 'ES9+.InitiateAuthentication.nominal.freshSession',
      title: 'two InitiateAuthentication calls get different transactionIds and serverChallenges (§3.1.3)',
      sgp23: sgp23('4.3.12.2.1', 2),
      run: async (t, env) => {
        const first = await env.session();
        expectSuccess(t, 'first InitiateAuthentication', await first.initiateAuthentication());
        const second = await env.session();
        expectSuccess(t, 'second InitiateAuthentication', await second.initiateAuthentication());
        t.ok(first.transactionId !== second.transactionId, 'the transactionIds differ', `${first.transactionId} twice`);
        t.ok(hex(signed1(first).serverChallenge) !== hex(signed1(second).serverChallenge), 'the serverChallenges differ');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.invalidSmdpAddress',
      title: 'an smdpAddress other than the SM-DP+\'s is refused with 8.8.1 / 3.8 (§5.6.1)',
      sgp23: sgp23('4.3.12.2.1', 3),
      run: async (t, env) => {
        const s = await env.session();
        expectFailure(t, 'InitiateAuthentication', await s.initiateAuthentication({ smdpAddress: 'other-smdp.example.com' }), 'smdpAddressInvalid');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.unsupportedSvn',
      title: 'an eUICC of specification version 3.0.0 is refused with 8.8.3 / 3.1 (§5.6.1)',
      sgp23: sgp23('4.3.12.2.1', 5),
      run: async (t, env) => {
        const id = ciPKId(env);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(3, 0, 0), euiccCiPKIdListForVerification: [id], euiccCiPKIdListForSigning: [id] }), 'svnUnsupported');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.unknownCiPKId',
      title: 'an eUICC offering only unknown CI key ids is refused with 8.8.2 / 3.1 (§5.6.1)',
      sgp23: sgp23('4.3.12.2.1', 4),
      run: async (t, env) => {
        const other = new Uint8Array(20).fill(7);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [other], euiccCiPKIdListForSigning: [other] }), 'ciPublicKeyUnsupported');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.ciForVerificationOnly',
      title: 'an eUICC that can verify with the CI but signs under an unknown one is refused with 8.8.4 / 3.7 (§5.6.1)',
      // Same subject and reason as sequence #06 (unavailable CERT.DPauth), whose stimulus may differ: the test case only.
      sgp23: sgp23('4.3.12.2.1'),
      run: async (t, env) => {
        const other = new Uint8Array(20).fill(7);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [ciPKId(env)], euiccCiPKIdListForSigning: [other] }), 'smdpCertificateUnavailable');
      },
    },
  ];
}
