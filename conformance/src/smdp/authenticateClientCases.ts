// SM-DP+ cases on ES9+.AuthenticateClient (§5.6.3) (SGP.22 v2.2.2, procedures §3.1.3). Part of the ES9+ function cases (functionCases.ts).
import { AuthenticateServerResponse, Certificate, Codes, SmdpSigned2, StoreMetadataRequest, derOf, encodeTlv, id_rspRole_dp_pb, verifyRaw } from '@zkesim/protocol';
import { randomBytes } from 'node:crypto';
import type { CaseContext } from '../runner/model.js';
import { sgp23 } from '../runner/sgp23.js';
import { expectFailure, expectSuccess, mustSucceed } from './checks.js';
import type { SmdpCase, SmdpEnv } from './env.js';
import type { Es9Session } from './session.js';
import { unb64, hex, signatureValue, authenticatedServer, authenticatedClient, authenticateResponseOk, checkIssuedByCi, parseCertificateField, resignedAuthenticateServerResponse, flipByte } from './functionShared.js';

export function authenticateClientCases(): SmdpCase[] {
  const withSession = (id: string, title: string, code: keyof typeof Codes, reference: string, tamper: (env: SmdpEnv, s: Es9Session) => Promise<{ response?: Uint8Array; transactionId?: string }>): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${id}`,
    title,
    sgp23: reference,
    fixtures: ['released'],
    run: async (t, env) => {
      const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
      const { response, transactionId } = await t.precondition('build the request', () => tamper(env, s));
      expectFailure(t, 'AuthenticateClient', await s.authenticateClient(response ?? s.authenticateServerResponse, transactionId ?? s.transactionId), code);
    },
  });
  // SGP.23's nominal sequences differ by use case (default SM-DP+ address, activation code, SM-DS) and by
  // whether the EID is associated; which one a fixture's order plays is the server's: the test case only.
  const nominal = (id: string, title: string, check: (t: CaseContext, env: SmdpEnv, s: Es9Session) => void): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${id}`,
    title,
    sgp23: sgp23('4.3.14.2.1'),
    fixtures: ['released'],
    run: async (t, env) => {
      const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
      expectSuccess(t, 'AuthenticateClient', await s.authenticateClient());
      check(t, env, s);
    },
  });
  const smdpSigned2 = (s: Es9Session) => SmdpSigned2.decode(unb64(s.authenticateClientJson.smdpSigned2));
  const refusedFixture = (kind: 'otherEid' | 'notReleased' | 'expired' | 'attemptsExhausted', code: keyof typeof Codes, title: string, reference: string): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${kind}`,
    title,
    sgp23: reference,
    fixtures: [kind],
    run: async (t, env) => {
      const s = await authenticatedServer(t, env, env.fixture(kind).matchingId);
      expectFailure(t, 'AuthenticateClient', await s.authenticateClient(), code);
    },
  });
  return [
    nominal('nominal.transactionId', 'nominal: Executed-Success echoing the transactionId, in smdpSigned2 too (§5.6.3)', (t, env, s) => {
      t.equal('transactionId', s.transactionId.toUpperCase(), String(s.authenticateClientJson.transactionId).toUpperCase());
      t.equal('smdpSigned2.transactionId', s.transactionId.toUpperCase(), hex(smdpSigned2(s).transactionId));
    }),
    nominal('nominal.ccRequiredFlag', 'nominal: an order without confirmation code has ccRequiredFlag false (§5.6.3)', (t, env, s) => {
      t.equal('smdpSigned2.ccRequiredFlag', 'false', String(smdpSigned2(s).ccRequiredFlag));
    }),
    nominal('nominal.smdpSignature2', 'nominal: smdpSignature2 verifies over smdpSigned2 ‖ euiccSignature1 with the key of smdpCertificate (§5.6.3, §5.7.5)', (t, env, s) => {
      const certificate = parseCertificateField(t, 'smdpCertificate', s.authenticateClientJson.smdpCertificate);
      const euiccSignature1 = encodeTlv(0x5f37, authenticateResponseOk(s.authenticateServerResponse).euiccSignature1);
      const signature = unb64(s.authenticateClientJson.smdpSignature2);
      t.equal('smdpSignature2 tag and length', '5F3740', hex(signature.slice(0, 3)));
      const data = new Uint8Array([...unb64(s.authenticateClientJson.smdpSigned2), ...euiccSignature1]);
      t.ok(verifyRaw(certificate.publicKey, data, signatureValue(signature)), 'smdpSignature2 verifies with CERT.DPpb');
    }),
    nominal('nominal.smdpCertificate', 'nominal: smdpCertificate is a CERT.DPpb issued by the CI the eUICC trusts (§4.5.2.1)', (t, env, s) => {
      checkIssuedByCi(t, 'smdpCertificate', parseCertificateField(t, 'smdpCertificate', s.authenticateClientJson.smdpCertificate), env.identity.ci, id_rspRole_dp_pb);
    }),
    nominal('nominal.profileMetadata', 'nominal: profileMetadata is a StoreMetadataRequest (BF25) with a 10-byte ICCID and a service provider name (§5.6.3, §5.5.3)', (t, env, s) => {
      const bytes = unb64(s.authenticateClientJson.profileMetadata);
      t.equal('profileMetadata tag', 'BF25', hex(bytes.slice(0, 2)));
      let metadata: StoreMetadataRequest;
      try {
        metadata = StoreMetadataRequest.decode(bytes);
      } catch (error) {
        return t.fail(`profileMetadata does not decode as StoreMetadataRequest: ${error instanceof Error ? error.message : String(error)}`);
      }
      t.equal('profileMetadata.iccid length', '10', String(metadata.iccid.length));
      t.ok(metadata.serviceProviderName.length > 0, 'profileMetadata.serviceProviderName is present');
    }),
    {
      id: 'ES9+.AuthenticateClient.ccRequired',
      title: 'an order with a confirmation code has ccRequiredFlag true (§5.6.3)',
      sgp23: sgp23('4.3.14.2.1'),
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('confirmationCode').matchingId);
        expectSuccess(t, 'AuthenticateClient', await s.authenticateClient());
        t.equal('smdpSigned2.ccRequiredFlag', 'true', String(smdpSigned2(s).ccRequiredFlag));
      },
    },
    withSession('unknownTransactionId', 'a transactionId the SM-DP+ never issued is refused with 8.10.1 / 3.9 (§5.6.3)', 'transactionIdUnknown', sgp23('4.3.14.2.2', 9), async () => ({ transactionId: hex(randomBytes(16)) })),
    {
      id: 'ES9+.AuthenticateClient.replayed',
      title: 'a second AuthenticateClient in the same session is refused with 8.10.1 / 3.9 (§5.6.3)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        expectFailure(t, 'AuthenticateClient (replayed)', await s.authenticateClient(), 'transactionIdUnknown');
      },
    },
    withSession('badEuiccSignature1', 'a euiccSignature1 with one bit changed is refused with 8.1 / 6.1 (§5.6.3)', 'euiccVerificationFailed', sgp23('4.3.14.2.2', 5), async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSignature1: flipByte(ok.euiccSignature1, 10) } }) };
    }),
    withSession('serverChallengeMismatch', 'a euiccSigned1 with another serverChallenge, correctly signed by the eUICC, is refused with 8.1 / 6.1 (§5.6.3)', 'euiccVerificationFailed', sgp23('4.3.14.2.2', 6), async (env, s) => ({
      response: resignedAuthenticateServerResponse(env, s.authenticateServerResponse, (signed) => ({ ...signed, serverChallenge: new Uint8Array(randomBytes(16)) })),
    })),
    withSession('badEuiccCertificateSignature', 'a CERT.EUICC whose signature was altered is refused with 8.1.3 / 6.1 (§5.6.3)', 'euiccCertificateInvalid', sgp23('4.3.14.2.2', 3), async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      const der = derOf(ok.euiccCertificate);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccCertificate: Certificate.decode(flipByte(der, der.length - 5)) } }) };
    }),
    withSession('badEumCertificateSignature', 'a CERT.EUM whose signature was altered is refused with 8.1.2 / 6.1 (§5.6.3)', 'eumCertificateInvalid', sgp23('4.3.14.2.2', 1), async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      const der = derOf(ok.eumCertificate);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, eumCertificate: Certificate.decode(flipByte(der, der.length - 5)) } }) };
    }),
    withSession('otherSessionsResponse', 'an AuthenticateServerResponse signed for another session is refused with 8.10.1 / 3.9 (§5.6.3)', 'transactionIdUnknown',
      // Its euiccSigned1 names a transaction the SM-DP+ issued, to another session: close to sequence #10 (a
      // transactionId in euiccSigned1 the SM-DP+ does not know) but not it, so the test case only.
      sgp23('4.3.14.2.2'), async (env) => {
      const other = await env.session();
      mustSucceed('InitiateAuthentication', await other.initiateAuthentication());
      await other.authenticateServer(undefined);
      return { response: other.authenticateServerResponse };
    }),
    {
      id: 'ES9+.AuthenticateClient.unknownMatchingId',
      title: 'a MatchingID no order has is refused with 8.2.6 / 3.8 (§5.6.3)',
      // Sequences #11, #12 and #13 differ by use case only: the test case only.
      sgp23: sgp23('4.3.14.2.2'),
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, `NO-SUCH-${hex(randomBytes(6))}`);
        expectFailure(t, 'AuthenticateClient', await s.authenticateClient(), 'matchingIdRefused');
      },
    },
    refusedFixture('otherEid', 'eidMismatch', 'an order bound to another EID is refused with 8.1.1 / 3.8 (§5.6.3)',
      // Sequences #14, #19 and #20 differ by use case only, which the order's fixture does not say.
      sgp23('4.3.14.2.2')),
    refusedFixture('notReleased', 'profileNotReleased', 'a confirmed order not yet released is refused with 8.2 / 1.2 (§5.6.3)', sgp23('4.3.14.2.2', 8)),
    refusedFixture('expired', 'downloadOrderExpired', 'an order whose time to live has passed is refused with 8.8.5 / 4.10 (§5.6.3)', sgp23('4.3.14.2.2', 16)),
    refusedFixture('attemptsExhausted', 'downloadOrderRetriesExceeded', 'an order whose download attempts are used up is refused with 8.8.5 / 6.4 (§5.6.3)', sgp23('4.3.14.2.2', 17)),
    {
      id: 'ES9+.AuthenticateClient.pprForbidden',
      title: 'a profile setting a Profile Policy Rule the eUICC forbids (euiccInfo2.forbiddenProfilePolicyRules) is refused with 8.2.5 / 4.3 (§5.6.3, §2.9)',
      sgp23: sgp23('4.3.14.2.2', 15),
      fixtures: ['pprForbidden'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('pprForbidden').matchingId);
        expectFailure(t, 'AuthenticateClient', await s.authenticateClient(), 'noEligibleProfile');
      },
    },
    {
      id: 'ES9+.AuthenticateClient.pprAllowed',
      title: 'a profile setting PPR1, which the eUICC allows, is downloadable and its profileMetadata carries profilePolicyRules with ppr1 set (§5.6.3, §5.5.3)',
      fixtures: ['pprAllowed'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('pprAllowed').matchingId);
        expectSuccess(t, 'AuthenticateClient', await s.authenticateClient());
        const rules = StoreMetadataRequest.decode(unb64(s.authenticateClientJson.profileMetadata)).profilePolicyRules;
        // PprIds ::= BIT STRING { pprUpdateControl(0), ppr1(1), ppr2(2) }: ppr1 is the second bit of the first byte.
        t.ok(rules !== undefined && ((rules.bytes[0] ?? 0) & 0x40) !== 0, 'profilePolicyRules has ppr1 set', rules === undefined ? '(absent)' : hex(rules.bytes));
      },
    },
  ];
}
