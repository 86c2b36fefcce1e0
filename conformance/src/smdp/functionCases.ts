// SM-DP+ cases on what each ES9+ function does (SGP.22 v2.2.2 §5.6.1 – §5.6.5, procedures §3.1.3):
// nominal answers checked field by field and signature by signature, each refusal with its subject and
// reason code, retries with the same and with a new one-time key, CancelSession per reason, notifications.
import {
  AuthenticateServerResponse, BoundProfilePackage, CancelSessionReason, Certificate, Codes, EUICCInfo1, EuiccSigned1, PrepareDownloadResponse,
  ServerSigned1, SmdpSigned2, StoreMetadataRequest, derOf, encodeTlv, id_rspRole_dp_auth, id_rspRole_dp_pb, signRaw, verifyDer, verifyRaw,
} from '@zkesim/protocol';
import { policiesOf, parseCertificate, subjectKeyIdentifierOf, type RspCertificate } from '@zkesim/pki';
import { createPrivateKey, randomBytes } from 'node:crypto';
import type { CaseContext } from '../runner/model.js';
import { expectFailure, expectSuccess, mustSucceed } from './checks.js';
import type { SmdpCase, SmdpEnv } from './env.js';
import type { Es9Session } from './session.js';

const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));
const hex = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '(absent)' : Buffer.from(bytes).toString('hex').toUpperCase());
/** The value of a `5F37 40` signature data object. */
const signatureValue = (tlv: Uint8Array): Uint8Array => (tlv[0] === 0x5f && tlv[1] === 0x37 && tlv[2] === 0x40 ? tlv.slice(3) : tlv);

/** Precondition: a session up to a successful InitiateAuthentication and AuthenticateServer for `matchingId`. */
async function authenticatedServer(t: CaseContext, env: SmdpEnv, matchingId: string | undefined, session?: Es9Session): Promise<Es9Session> {
  return t.precondition('InitiateAuthentication succeeds and the eUICC authenticates the server', async () => {
    const s = session ?? (await env.session());
    mustSucceed('InitiateAuthentication', await s.initiateAuthentication());
    const response = AuthenticateServerResponse.decode(await s.authenticateServer(matchingId));
    if (!('authenticateResponseOk' in response)) throw new Error(`the eUICC refused the server (authenticateResponseError ${JSON.stringify(response.authenticateResponseError)})`);
    return s;
  });
}

/** Precondition: a session up to a successful AuthenticateClient. */
async function authenticatedClient(t: CaseContext, env: SmdpEnv, matchingId: string, session?: Es9Session): Promise<Es9Session> {
  const s = await authenticatedServer(t, env, matchingId, session);
  await t.precondition('AuthenticateClient succeeds', async () => mustSucceed('AuthenticateClient', await s.authenticateClient()));
  return s;
}

/** Precondition: a session up to a successful GetBoundProfilePackage. */
async function bound(t: CaseContext, env: SmdpEnv, matchingId: string, confirmationCode?: string, session?: Es9Session): Promise<Es9Session> {
  const s = await authenticatedClient(t, env, matchingId, session);
  await t.precondition('PrepareDownload and GetBoundProfilePackage succeed', async () => {
    const prepared = PrepareDownloadResponse.decode(await s.prepareDownload(confirmationCode));
    if (!('downloadResponseOk' in prepared)) throw new Error(`the eUICC refused PrepareDownload (${JSON.stringify(prepared.downloadResponseError)})`);
    mustSucceed('GetBoundProfilePackage', await s.getBoundProfilePackage());
  });
  return s;
}

function authenticateResponseOk(bytes: Uint8Array) {
  const response = AuthenticateServerResponse.decode(bytes);
  if (!('authenticateResponseOk' in response)) throw new Error('the eUICC refused the server');
  return response.authenticateResponseOk;
}

/** Checks that `certificate` is signed by the CI and carries the role policy `role`. */
function checkIssuedByCi(t: CaseContext, what: string, certificate: RspCertificate, ci: RspCertificate, role: string): void {
  t.ok(verifyDer(ci.publicKey, certificate.tbsDer, certificate.signature.bytes), `${what} is signed by the CI's key`);
  t.ok(policiesOf(certificate).includes(role), `${what} carries the certificate policy ${role}`, policiesOf(certificate).join(', '));
}

function parseCertificateField(t: CaseContext, what: string, text: unknown): RspCertificate {
  try {
    return parseCertificate(unb64(text));
  } catch (error) {
    return t.fail(`${what} is not a DER X.509 certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Re-signs a modified euiccSigned1 with the played eUICC's own key: a well-signed but wrong message. */
function resignedAuthenticateServerResponse(env: SmdpEnv, original: Uint8Array, change: (signed: EuiccSigned1) => EuiccSigned1): Uint8Array {
  const ok = authenticateResponseOk(original);
  const euiccSigned1 = EuiccSigned1.decode(EuiccSigned1.encode(change(ok.euiccSigned1)));
  const key = createPrivateKey({ key: Buffer.from(env.identity.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  const euiccSignature1 = signRaw(key, derOf(euiccSigned1));
  return AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSigned1, euiccSignature1 } });
}

function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

export function initiateAuthenticationCases(): SmdpCase[] {
  const nominal = (id: string, title: string, check: (t: CaseContext, env: SmdpEnv, s: Es9Session) => void): SmdpCase => ({
    id: `ES9+.InitiateAuthentication.${id}`,
    title,
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
      run: async (t, env) => {
        const s = await env.session();
        expectFailure(t, 'InitiateAuthentication', await s.initiateAuthentication({ smdpAddress: 'other-smdp.example.com' }), 'smdpAddressInvalid');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.unsupportedSvn',
      title: 'an eUICC of specification version 3.0.0 is refused with 8.8.3 / 3.1 (§5.6.1)',
      run: async (t, env) => {
        const id = ciPKId(env);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(3, 0, 0), euiccCiPKIdListForVerification: [id], euiccCiPKIdListForSigning: [id] }), 'svnUnsupported');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.unknownCiPKId',
      title: 'an eUICC offering only unknown CI key ids is refused with 8.8.2 / 3.1 (§5.6.1)',
      run: async (t, env) => {
        const other = new Uint8Array(20).fill(7);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [other], euiccCiPKIdListForSigning: [other] }), 'ciPublicKeyUnsupported');
      },
    },
    {
      id: 'ES9+.InitiateAuthentication.ciForVerificationOnly',
      title: 'an eUICC that can verify with the CI but signs under an unknown one is refused with 8.8.4 / 3.7 (§5.6.1)',
      run: async (t, env) => {
        const other = new Uint8Array(20).fill(7);
        expectFailure(t, 'InitiateAuthentication', await ask(t, env, { svn: Uint8Array.of(2, 2, 2), euiccCiPKIdListForVerification: [ciPKId(env)], euiccCiPKIdListForSigning: [other] }), 'smdpCertificateUnavailable');
      },
    },
  ];
}

export function authenticateClientCases(): SmdpCase[] {
  const withSession = (id: string, title: string, code: keyof typeof Codes, tamper: (env: SmdpEnv, s: Es9Session) => Promise<{ response?: Uint8Array; transactionId?: string }>): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${id}`,
    title,
    fixtures: ['released'],
    run: async (t, env) => {
      const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
      const { response, transactionId } = await t.precondition('build the request', () => tamper(env, s));
      expectFailure(t, 'AuthenticateClient', await s.authenticateClient(response ?? s.authenticateServerResponse, transactionId ?? s.transactionId), code);
    },
  });
  const nominal = (id: string, title: string, check: (t: CaseContext, env: SmdpEnv, s: Es9Session) => void): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${id}`,
    title,
    fixtures: ['released'],
    run: async (t, env) => {
      const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
      expectSuccess(t, 'AuthenticateClient', await s.authenticateClient());
      check(t, env, s);
    },
  });
  const smdpSigned2 = (s: Es9Session) => SmdpSigned2.decode(unb64(s.authenticateClientJson.smdpSigned2));
  const refusedFixture = (kind: 'otherEid' | 'notReleased' | 'expired' | 'attemptsExhausted', code: keyof typeof Codes, title: string): SmdpCase => ({
    id: `ES9+.AuthenticateClient.${kind}`,
    title,
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
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('confirmationCode').matchingId);
        expectSuccess(t, 'AuthenticateClient', await s.authenticateClient());
        t.equal('smdpSigned2.ccRequiredFlag', 'true', String(smdpSigned2(s).ccRequiredFlag));
      },
    },
    withSession('unknownTransactionId', 'a transactionId the SM-DP+ never issued is refused with 8.10.1 / 3.9 (§5.6.3)', 'transactionIdUnknown', async () => ({ transactionId: hex(randomBytes(16)) })),
    {
      id: 'ES9+.AuthenticateClient.replayed',
      title: 'a second AuthenticateClient in the same session is refused with 8.10.1 / 3.9 (§5.6.3)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        expectFailure(t, 'AuthenticateClient (replayed)', await s.authenticateClient(), 'transactionIdUnknown');
      },
    },
    withSession('badEuiccSignature1', 'a euiccSignature1 with one bit changed is refused with 8.1 / 6.1 (§5.6.3)', 'euiccVerificationFailed', async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSignature1: flipByte(ok.euiccSignature1, 10) } }) };
    }),
    withSession('serverChallengeMismatch', 'a euiccSigned1 with another serverChallenge, correctly signed by the eUICC, is refused with 8.1 / 6.1 (§5.6.3)', 'euiccVerificationFailed', async (env, s) => ({
      response: resignedAuthenticateServerResponse(env, s.authenticateServerResponse, (signed) => ({ ...signed, serverChallenge: new Uint8Array(randomBytes(16)) })),
    })),
    withSession('badEuiccCertificateSignature', 'a CERT.EUICC whose signature was altered is refused with 8.1.3 / 6.1 (§5.6.3)', 'euiccCertificateInvalid', async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      const der = derOf(ok.euiccCertificate);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccCertificate: Certificate.decode(flipByte(der, der.length - 5)) } }) };
    }),
    withSession('badEumCertificateSignature', 'a CERT.EUM whose signature was altered is refused with 8.1.2 / 6.1 (§5.6.3)', 'eumCertificateInvalid', async (env, s) => {
      const ok = authenticateResponseOk(s.authenticateServerResponse);
      const der = derOf(ok.eumCertificate);
      return { response: AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, eumCertificate: Certificate.decode(flipByte(der, der.length - 5)) } }) };
    }),
    withSession('otherSessionsResponse', 'an AuthenticateServerResponse signed for another session is refused with 8.10.1 / 3.9 (§5.6.3)', 'transactionIdUnknown', async (env) => {
      const other = await env.session();
      mustSucceed('InitiateAuthentication', await other.initiateAuthentication());
      await other.authenticateServer(undefined);
      return { response: other.authenticateServerResponse };
    }),
    {
      id: 'ES9+.AuthenticateClient.unknownMatchingId',
      title: 'a MatchingID no order has is refused with 8.2.6 / 3.8 (§5.6.3)',
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, `NO-SUCH-${hex(randomBytes(6))}`);
        expectFailure(t, 'AuthenticateClient', await s.authenticateClient(), 'matchingIdRefused');
      },
    },
    refusedFixture('otherEid', 'eidMismatch', 'an order bound to another EID is refused with 8.1.1 / 3.8 (§5.6.3)'),
    refusedFixture('notReleased', 'profileNotReleased', 'a confirmed order not yet released is refused with 8.2 / 1.2 (§5.6.3)'),
    refusedFixture('expired', 'downloadOrderExpired', 'an order whose time to live has passed is refused with 8.8.5 / 4.10 (§5.6.3)'),
    refusedFixture('attemptsExhausted', 'downloadOrderRetriesExceeded', 'an order whose download attempts are used up is refused with 8.8.5 / 6.4 (§5.6.3)'),
    {
      id: 'ES9+.AuthenticateClient.pprForbidden',
      title: 'a profile setting a Profile Policy Rule the eUICC forbids (euiccInfo2.forbiddenProfilePolicyRules) is refused with 8.2.5 / 4.3 (§5.6.3, §2.9)',
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

export function getBoundProfilePackageCases(): SmdpCase[] {
  const otpkOf = (s: Es9Session): Uint8Array => {
    const response = PrepareDownloadResponse.decode(s.prepareDownloadResponse);
    if (!('downloadResponseOk' in response)) throw new Error('PrepareDownload failed');
    return response.downloadResponseOk.euiccSigned2.euiccOtpk;
  };
  const bppOf = (t: CaseContext, s: Es9Session) => {
    try {
      return BoundProfilePackage.decode(s.boundProfilePackage);
    } catch (error) {
      return t.fail(`boundProfilePackage does not decode as BF36: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return [
    {
      id: 'ES9+.GetBoundProfilePackage.nominal',
      title: 'nominal: a BoundProfilePackage (BF36) for this transaction, whose BF23 names it (§5.6.2, §2.5.5)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        expectSuccess(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage());
        t.equal('transactionId', s.transactionId.toUpperCase(), String(s.initiateJson.transactionId).toUpperCase());
        const bpp = bppOf(t, s);
        t.equal('initialiseSecureChannelRequest.transactionId', s.transactionId.toUpperCase(), hex(bpp.initialiseSecureChannelRequest.transactionId));
        t.ok(bpp.sequenceOf86.length > 0, 'the BPP has at least one 86 segment (profile elements)');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.installs',
      title: 'nominal: the eUICC verifies smdpSign and the MAC chain and installs the profile of profileMetadata (§2.5.5, §5.7.6)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await bound(t, env, env.fixture('released').matchingId);
        const result = await s.loadBoundProfilePackage();
        const { ProfileInstallationResult } = await import('@zkesim/protocol');
        const decoded = ProfileInstallationResult.decode(result).profileInstallationResultData;
        t.ok('successResult' in decoded.finalResult, 'the eUICC reports successResult', JSON.stringify(decoded.finalResult, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v)));
        const metadata = StoreMetadataRequest.decode(unb64(s.authenticateClientJson.profileMetadata));
        t.equal('installed ICCID', hex(metadata.iccid), hex(decoded.notificationMetadata.iccid));
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.unknownTransactionId',
      title: 'a transactionId the SM-DP+ never issued is refused with 8.10.1 / 3.9 (§5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(s.prepareDownloadResponse, hex(randomBytes(16))), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.beforeAuthenticateClient',
      title: 'GetBoundProfilePackage on a session not past AuthenticateClient is refused with 8.10.1 / 3.9 (§5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
        // A well-formed, well-signed PrepareDownloadResponse of another session, so that only the state of this one is wrong.
        const donor = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload in the other session', () => donor.prepareDownload());
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(donor.prepareDownloadResponse), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.badEuiccSignature2',
      title: 'a PrepareDownloadResponse whose euiccSignature2 has one bit changed is refused with 8.1 / 6.1 (§5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        const response = PrepareDownloadResponse.decode(s.prepareDownloadResponse);
        if (!('downloadResponseOk' in response)) return t.inconclusive('the eUICC refused PrepareDownload');
        const tampered = PrepareDownloadResponse.encode({ downloadResponseOk: { ...response.downloadResponseOk, euiccSignature2: flipByte(response.downloadResponseOk.euiccSignature2, 7) } });
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(tampered), 'euiccVerificationFailed');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.confirmationCode',
      title: 'the right confirmation code gives the BPP (§5.6.2, hashCc §5.7.5)',
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const fixture = env.fixture('confirmationCode');
        const s = await authenticatedClient(t, env, fixture.matchingId);
        await t.precondition('PrepareDownload with hashCc', () => s.prepareDownload(fixture.confirmationCode));
        expectSuccess(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage());
        bppOf(t, s);
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.wrongConfirmationCode',
      title: 'a wrong confirmation code is refused with 8.2.7 / 3.8 (§5.6.2)',
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const fixture = env.fixture('confirmationCode');
        const s = await authenticatedClient(t, env, fixture.matchingId);
        const wrong = fixture.confirmationCode === '0000' ? '9999' : '0000';
        await t.precondition('PrepareDownload with the hashCc of a wrong code', () => s.prepareDownload(wrong));
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(), 'confirmationCodeRefused');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.retrySameOtpk',
      title: 'retry with the same otPK: a new session of the eUICC that kept its one-time key gets smdpSigned2.bppEuiccOtpk and the same smdpOtpk (§3.1.3.2, §5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const first = await bound(t, env, id);
        const firstOtpk = otpkOf(first);
        const firstSmdpOtpk = bppOf(t, first).initialiseSecureChannelRequest.smdpOtpk;
        // The LPA lost the package: a new session on the same card, which still holds its one-time key.
        const retry = new (first.constructor as new (...args: ConstructorParameters<typeof Es9Session>) => Es9Session)(t, first.env);
        const s = await authenticatedServer(t, env, id, retry);
        expectSuccess(t, 'AuthenticateClient (retry)', await s.authenticateClient());
        t.equal('smdpSigned2.bppEuiccOtpk', hex(firstOtpk), hex(SmdpSigned2.decode(unb64(s.authenticateClientJson.smdpSigned2)).bppEuiccOtpk));
        await t.precondition('PrepareDownload (retry)', () => s.prepareDownload());
        expectSuccess(t, 'GetBoundProfilePackage (retry)', await s.getBoundProfilePackage());
        t.equal('BF23 smdpOtpk', hex(firstSmdpOtpk), hex(bppOf(t, s).initialiseSecureChannelRequest.smdpOtpk));
        t.equal('BF23 transactionId', s.transactionId.toUpperCase(), hex(bppOf(t, s).initialiseSecureChannelRequest.transactionId));
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.retryNewOtpk',
      title: 'retry with a new otPK: the eUICC without its old one-time key gets a BPP bound to a new smdpOtpk that it installs (§3.1.3.2, §5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const first = await bound(t, env, id);
        const firstSmdpOtpk = bppOf(t, first).initialiseSecureChannelRequest.smdpOtpk;
        const s = await authenticatedClient(t, env, id);
        await t.precondition('PrepareDownload (new card state)', () => s.prepareDownload());
        t.ok(hex(otpkOf(s)) !== hex(otpkOf(first)), 'the eUICC sent a new otPK.EUICC.ECKA');
        expectSuccess(t, 'GetBoundProfilePackage (retry)', await s.getBoundProfilePackage());
        t.ok(hex(bppOf(t, s).initialiseSecureChannelRequest.smdpOtpk) !== hex(firstSmdpOtpk), 'the BPP is bound to a new otPK.DP.ECKA');
        const { ProfileInstallationResult } = await import('@zkesim/protocol');
        const result = ProfileInstallationResult.decode(await s.loadBoundProfilePackage()).profileInstallationResultData;
        t.ok('successResult' in result.finalResult, 'the eUICC installs the re-bound package');
      },
    },
    {
      id: 'ES9+.AuthenticateClient.boundToAnotherEid',
      title: 'an order naming no EID, once bound to one eUICC, is refused to an eUICC of another EID with 8.2 / 3.7 (§3.1.3: a retry by the eUICC it was bound for only)',
      fixtures: ['anyEid'],
      run: async (t, env) => {
        const otherSession = env.otherSession;
        if (otherSession === undefined) return t.inconclusive('no second eUICC (--other-euicc-cert, --other-eum-cert, --other-euicc-key)');
        const id = env.fixture('anyEid').matchingId;
        await bound(t, env, id);
        const other = await authenticatedServer(t, env, id, await otherSession());
        expectFailure(t, 'AuthenticateClient (another EID)', await other.authenticateClient(), 'bppNotAvailable');
      },
    },
  ];
}

export function cancelSessionCases(): SmdpCase[] {
  const reasons = Object.entries(CancelSessionReason.named) as [string, number][];
  const cases: SmdpCase[] = reasons.map(([name, value]) => ({
    id: `ES9+.CancelSession.afterAuthenticateClient.${name}`,
    title: `CancelSession with reason ${name}(${value}) after AuthenticateClient is accepted (§5.6.5)`,
    fixtures: ['released'],
    run: async (t, env) => {
      const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
      const signed = await t.precondition('ES10b.CancelSession', () => s.cardCancelSession(value));
      expectSuccess(t, 'CancelSession', await s.cancelSession(signed));
    },
  }));
  cases.push(
    {
      id: 'ES9+.CancelSession.afterBpp.postponed',
      title: 'CancelSession postponed after GetBoundProfilePackage is accepted and the order stays downloadable (§5.6.5, §3.1.3)',
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

export function handleNotificationCases(): SmdpCase[] {
  return [
    {
      id: 'ES9+.HandleNotification.installationResult',
      title: 'the eUICC\'s signed Profile Installation Result is acknowledged with HTTP 204 and no body (§5.6.4, §6.5.2.4)',
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

