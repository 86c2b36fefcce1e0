// eUICC cases (SGP.22 v2.2.2 §5.7, ES10a/b/c) limited to what an LPA can exercise safely: reads, a mutual
// authentication and PrepareDownload with the runner playing the SM-DP+ (then cancelled), CancelSession per
// reason, refusals with their exact error codes, and the DER exactness of every response (decoded and
// encoded again it gives back the very bytes the card sent: minimal lengths, DEFAULTs omitted, canonical order).
import { randomBytes } from 'node:crypto';
import {
  AuthenticateErrorCode, AuthenticateServerRequest, AuthenticateServerResponse, CancelSessionReason, CancelSessionRequest, CancelSessionResponse,
  CancelSessionResponse_cancelSessionResponseError, Certificate, DeleteProfileRequest, DeleteProfileResponse, DeleteProfileResponse_deleteResult,
  DisableProfileRequest, DisableProfileResponse, DisableProfileResponse_disableResult, DownloadErrorCode, EUICCInfo1, EUICCInfo2, EnableProfileRequest,
  EnableProfileResponse, EnableProfileResponse_enableResult, EuiccConfiguredAddressesResponse, GetEuiccChallengeResponse, GetEuiccDataResponse,
  GetRatResponse, ListNotificationResponse, PrepareDownloadRequest, PrepareDownloadResponse, ProfileInfoListRequest, ProfileInfoListResponse,
  PendingNotification, RetrieveNotificationsListRequest, RetrieveNotificationsListResponse, ServerSigned1, SetNicknameRequest, SetNicknameResponse, SetNicknameResponse_setNicknameResult, SmdpSigned2,
  EuiccMemoryResetRequest, EuiccMemoryResetResponse, EuiccMemoryResetResponse_resetResult, NotificationSentRequest, NotificationSentResponse, NotificationSentResponse_deleteNotificationStatus, derOf, eidWithCheckDigits, encodeTlv, signRaw,
  verifyDer, verifyRaw, type Codec,
} from '@zkesim/protocol';
import { buildDeviceInfo } from '@zkesim/lpa-core';
import { eidOf, parseCertificate, subjectKeyIdentifierOf } from '@zkesim/pki';
import type { CaseContext } from '../runner/model.js';
import type { EuiccCase, EuiccEnv } from './env.js';

const hex = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '(absent)' : Buffer.from(bytes).toString('hex').toUpperCase());
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
/** An ICCID no card holds: 89 99 …, with F padding as SGP.22 §5.7.15 codes it (swapped nibbles). */
const ABSENT_ICCID = fromHex('98990000000000000000');

function decode<T>(t: CaseContext, what: string, codec: Codec<T>, bytes: Uint8Array): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    return t.fail(`${what} does not decode: ${error instanceof Error ? error.message : String(error)}`, what, hex(bytes));
  }
}

/** DER exactness: decoding and encoding again gives back the bytes received. */
function exact<T>(t: CaseContext, what: string, codec: Codec<T>, bytes: Uint8Array): void {
  const again = codec.encode(decode(t, what, codec, bytes));
  t.equal(`${what} is DER (re-encoding gives the same bytes)`, hex(bytes), hex(again));
}

/** A read command (fixed request bytes of §5.7) whose response tag and DER exactness are checked. */
function readCase(id: string, title: string, command: string, codec: Codec<unknown>, tag: string): EuiccCase[] {
  return [
    {
      id: `${id}.nominal`,
      title: `${title}: the response has tag ${tag} and decodes`,
      run: async (t, env) => {
        const response = await env.send(id, fromHex(command));
        t.equal('response tag', tag, hex(response.slice(0, tag.length / 2)));
        decode(t, id, codec, response);
        t.ok(true, `${id} decodes`);
      },
    },
    {
      id: `${id}.der`,
      title: `${title}: the response is DER exactly`,
      run: async (t, env) => exact(t, id, codec, await env.send(id, fromHex(command))),
    },
  ];
}

interface Authenticated {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverSigned1: ServerSigned1;
  response: Uint8Array;
}

/** The runner as SM-DP+: a serverSigned1 over a fresh challenge from the card, signed with SK.DPauth. */
async function authenticateServerRequest(t: CaseContext, env: EuiccEnv, change: (request: AuthenticateServerRequest) => AuthenticateServerRequest = (r) => r) {
  const challenge = decode(t, 'GetEUICCChallenge', GetEuiccChallengeResponse, await env.send('GetEUICCChallenge', fromHex('BF2E00'))).euiccChallenge;
  const transactionId = new Uint8Array(randomBytes(16));
  const serverSigned1: ServerSigned1 = { transactionId, euiccChallenge: challenge, serverAddress: env.server.serverAddress, serverChallenge: new Uint8Array(randomBytes(16)) };
  const signedBytes = ServerSigned1.encode(serverSigned1);
  const request = change({
    serverSigned1: ServerSigned1.decode(signedBytes),
    serverSignature1: signRaw(env.server.dpAuth.key, signedBytes),
    euiccCiPKIdToBeUsed: subjectKeyIdentifierOf(env.server.ci) ?? new Uint8Array(),
    serverCertificate: Certificate.decode(env.server.dpAuth.certificate.der),
    ctxParams1: { ctxParamsForCommonAuthentication: { matchingId: 'CONFORMANCE', deviceInfo: buildDeviceInfo() } },
  });
  return { request, transactionId, challenge, serverSigned1 };
}

async function authenticate(t: CaseContext, env: EuiccEnv): Promise<Authenticated> {
  return t.precondition('AuthenticateServer succeeds', async () => {
    const { request, transactionId, challenge, serverSigned1 } = await authenticateServerRequest(t, env);
    const response = await env.send('AuthenticateServer', AuthenticateServerRequest.encode(request));
    const decoded = AuthenticateServerResponse.decode(response);
    if (!('authenticateResponseOk' in decoded)) throw new Error(`authenticateResponseError ${JSON.stringify(decoded.authenticateResponseError)}`);
    return { transactionId, euiccChallenge: challenge, serverSigned1, response };
  });
}

function okOf(response: Uint8Array) {
  const decoded = AuthenticateServerResponse.decode(response);
  if (!('authenticateResponseOk' in decoded)) throw new Error('not authenticateResponseOk');
  return decoded.authenticateResponseOk;
}

/** The runner as SM-DP+: smdpSigned2 signed with SK.DPpb over smdpSigned2 ‖ euiccSignature1 (§5.7.5). */
function prepareDownloadRequest(env: EuiccEnv, session: Authenticated, options: { transactionId?: Uint8Array; ccRequiredFlag?: boolean; tamper?: boolean; hashCc?: Uint8Array } = {}): Uint8Array {
  const smdpSigned2 = SmdpSigned2.encode({ transactionId: options.transactionId ?? session.transactionId, ccRequiredFlag: options.ccRequiredFlag ?? false });
  const euiccSignature1 = encodeTlv(0x5f37, okOf(session.response).euiccSignature1);
  const signature = signRaw(env.server.dpPb.key, new Uint8Array([...smdpSigned2, ...euiccSignature1]));
  if (options.tamper === true) signature[9] = (signature[9] ?? 0) ^ 1;
  return PrepareDownloadRequest.encode({
    smdpSigned2: SmdpSigned2.decode(smdpSigned2),
    smdpSignature2: signature,
    ...(options.hashCc === undefined ? {} : { hashCc: options.hashCc }),
    smdpCertificate: Certificate.decode(env.server.dpPb.certificate.der),
  });
}

async function cancel(env: EuiccEnv, transactionId: Uint8Array, reason: number): Promise<Uint8Array> {
  return env.send(`CancelSession (reason ${reason})`, CancelSessionRequest.encode({ transactionId, reason }));
}

function authenticateCases(): EuiccCase[] {
  const refused = (id: string, title: string, code: keyof typeof AuthenticateErrorCode.named, change: (r: AuthenticateServerRequest, env: EuiccEnv) => AuthenticateServerRequest): EuiccCase => ({
    id: `ES10b.AuthenticateServer.${id}`,
    title: `${title}: authenticateResponseError ${code}(${AuthenticateErrorCode.named[code]}) (§5.7.13)`,
    run: async (t, env) => {
      const { request, transactionId } = await authenticateServerRequest(t, env, (r) => change(r, env));
      const response = await env.send('AuthenticateServer', AuthenticateServerRequest.encode(request));
      const decoded = decode(t, 'AuthenticateServerResponse', AuthenticateServerResponse, response);
      t.ok('authenticateResponseError' in decoded, 'the eUICC answers authenticateResponseError');
      if (!('authenticateResponseError' in decoded)) return;
      t.equal('authenticateResponseError.transactionId', hex(transactionId), hex(decoded.authenticateResponseError.transactionId));
      t.equal('authenticateErrorCode', String(AuthenticateErrorCode.named[code]), String(decoded.authenticateResponseError.authenticateErrorCode));
    },
  });
  const nominal = (id: string, title: string, check: (t: CaseContext, env: EuiccEnv, session: Authenticated) => void): EuiccCase => ({
    id: `ES10b.AuthenticateServer.${id}`,
    title,
    run: async (t, env) => {
      const session = await authenticate(t, env);
      check(t, env, session);
      await cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection).catch(() => undefined);
    },
  });
  return [
    nominal('nominal.euiccSigned1', 'nominal: euiccSigned1 echoes transactionId, serverAddress and serverChallenge (§5.7.13)', (t, env, s) => {
      const signed = okOf(s.response).euiccSigned1;
      t.equal('euiccSigned1.transactionId', hex(s.transactionId), hex(signed.transactionId));
      t.equal('euiccSigned1.serverAddress', env.server.serverAddress, signed.serverAddress);
      t.equal('euiccSigned1.serverChallenge', hex(s.serverSigned1.serverChallenge), hex(signed.serverChallenge));
    }),
    nominal('nominal.euiccSignature1', 'nominal: euiccSignature1 verifies over euiccSigned1 with CERT.EUICC (§5.7.13)', (t, env, s) => {
      const ok = okOf(s.response);
      const certificate = parseCertificate(derOf(ok.euiccCertificate));
      t.ok(verifyRaw(certificate.publicKey, derOf(ok.euiccSigned1), ok.euiccSignature1), 'euiccSignature1 verifies with PK.EUICC.ECDSA');
    }),
    nominal('nominal.certificates', 'nominal: CERT.EUICC is signed by CERT.EUM, and CERT.EUM by the CI (§4.5.2)', (t, env, s) => {
      const ok = okOf(s.response);
      const euicc = parseCertificate(derOf(ok.euiccCertificate));
      const eum = parseCertificate(derOf(ok.eumCertificate));
      t.ok(verifyDer(eum.publicKey, euicc.tbsDer, euicc.signature.bytes), 'CERT.EUICC is signed by the EUM key');
      t.ok(verifyDer(env.server.ci.publicKey, eum.tbsDer, eum.signature.bytes), 'CERT.EUM is signed by the CI key');
    }),
    nominal('nominal.der', 'nominal: the AuthenticateServerResponse is DER exactly', (t, env, s) => exact(t, 'AuthenticateServerResponse', AuthenticateServerResponse, s.response)),
    {
      id: 'ES10b.AuthenticateServer.nominal.eidMatchesCertificate',
      title: 'the EID of GetEUICCData is the one in CERT.EUICC\'s subject serialNumber (§4.5.2.1.0.2)',
      run: async (t, env) => {
        const session = await authenticate(t, env);
        const eid = decode(t, 'GetEuiccDataResponse', GetEuiccDataResponse, await env.send('GetEUICCData', fromHex('BF3E035C015A'))).eidValue;
        t.equal('EID', eidOf(parseCertificate(derOf(okOf(session.response).euiccCertificate))) ?? '(none in certificate)', hex(eid));
        await cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection);
      },
    },
    refused('badServerSignature1', 'serverSignature1 with one bit changed', 'invalidSignature', (r) => ({ ...r, serverSignature1: flip(r.serverSignature1, 5) })),
    refused('euiccChallengeMismatch', 'serverSigned1 over another euiccChallenge, correctly signed', 'euiccChallengeMismatch', (r, env) => {
      const signed = ServerSigned1.encode({ ...r.serverSigned1, euiccChallenge: new Uint8Array(randomBytes(16)) });
      return { ...r, serverSigned1: ServerSigned1.decode(signed), serverSignature1: signRaw(env.server.dpAuth.key, signed) };
    }),
    refused('unknownCiPKId', 'euiccCiPKIdToBeUsed naming a CI the eUICC does not have', 'ciPKUnknown', (r) => ({ ...r, euiccCiPKIdToBeUsed: new Uint8Array(20).fill(7) })),
    refused('badServerCertificate', 'CERT.DPauth whose signature was altered', 'invalidCertificate', (r) => {
      const der = derOf(r.serverCertificate);
      return { ...r, serverCertificate: Certificate.decode(flip(der, der.length - 5)) };
    }),
  ];
}

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

function prepareDownloadCases(): EuiccCase[] {
  const refused = (id: string, title: string, code: keyof typeof DownloadErrorCode.named, options: (s: Authenticated) => Parameters<typeof prepareDownloadRequest>[2]): EuiccCase => ({
    id: `ES10b.PrepareDownload.${id}`,
    title: `${title}: downloadResponseError ${code}(${DownloadErrorCode.named[code]}) (§5.7.5)`,
    run: async (t, env) => {
      const session = await authenticate(t, env);
      const response = await env.send('PrepareDownload', prepareDownloadRequest(env, session, options(session)));
      const decoded = decode(t, 'PrepareDownloadResponse', PrepareDownloadResponse, response);
      t.ok('downloadResponseError' in decoded, 'the eUICC answers downloadResponseError');
      if ('downloadResponseError' in decoded) t.equal('downloadErrorCode', String(DownloadErrorCode.named[code]), String(decoded.downloadResponseError.downloadErrorCode));
      await cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection).catch(() => undefined);
    },
  });
  const nominal = (id: string, title: string, check: (t: CaseContext, env: EuiccEnv, session: Authenticated, response: Uint8Array) => void): EuiccCase => ({
    id: `ES10b.PrepareDownload.${id}`,
    title,
    run: async (t, env) => {
      const session = await authenticate(t, env);
      const response = await env.send('PrepareDownload', prepareDownloadRequest(env, session));
      check(t, env, session, response);
      await cancel(env, session.transactionId, CancelSessionReason.named.postponed).catch(() => undefined);
    },
  });
  const okOfPrepare = (t: CaseContext, response: Uint8Array) => {
    const decoded = decode(t, 'PrepareDownloadResponse', PrepareDownloadResponse, response);
    if (!('downloadResponseOk' in decoded)) return t.fail(`the eUICC answered downloadResponseError ${JSON.stringify(decoded.downloadResponseError)}`);
    return decoded.downloadResponseOk;
  };
  return [
    nominal('nominal.euiccSigned2', 'nominal: euiccSigned2 names the transaction and carries an uncompressed otPK.EUICC.ECKA (§5.7.5)', (t, env, s, response) => {
      const ok = okOfPrepare(t, response);
      t.equal('euiccSigned2.transactionId', hex(s.transactionId), hex(ok.euiccSigned2.transactionId));
      t.equal('euiccOtpk length', '65', String(ok.euiccSigned2.euiccOtpk.length));
      t.equal('euiccOtpk first byte (uncompressed point)', '04', hex(ok.euiccSigned2.euiccOtpk.slice(0, 1)));
    }),
    nominal('nominal.euiccSignature2', 'nominal: euiccSignature2 verifies over euiccSigned2 ‖ smdpSignature2 with CERT.EUICC (§5.7.5)', (t, env, s, response) => {
      const ok = okOfPrepare(t, response);
      const euicc = parseCertificate(derOf(okOf(s.response).euiccCertificate));
      const request = PrepareDownloadRequest.decode(prepareDownloadRequestOf(t));
      const data = new Uint8Array([...derOf(ok.euiccSigned2), ...encodeTlv(0x5f37, request.smdpSignature2)]);
      t.ok(verifyRaw(euicc.publicKey, data, ok.euiccSignature2), 'euiccSignature2 verifies with PK.EUICC.ECDSA');
    }),
    nominal('nominal.der', 'nominal: the PrepareDownloadResponse is DER exactly', (t, env, s, response) => exact(t, 'PrepareDownloadResponse', PrepareDownloadResponse, response)),
    refused('badSmdpSignature2', 'smdpSignature2 with one bit changed', 'invalidSignature', () => ({ tamper: true })),
    refused('otherTransactionId', 'smdpSigned2 naming another transactionId, correctly signed', 'invalidTransactionId', () => ({ transactionId: new Uint8Array(randomBytes(16)) })),
    {
      id: 'ES10b.PrepareDownload.noSession',
      title: 'PrepareDownload without a preceding AuthenticateServer: downloadResponseError noSessionContext(4) (§5.7.5)',
      run: async (t, env) => {
        const session = await authenticate(t, env);
        await t.precondition('CancelSession ends the session', () => cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection));
        const decoded = decode(t, 'PrepareDownloadResponse', PrepareDownloadResponse, await env.send('PrepareDownload', prepareDownloadRequest(env, session)));
        t.ok('downloadResponseError' in decoded, 'the eUICC answers downloadResponseError');
        if ('downloadResponseError' in decoded) t.equal('downloadErrorCode', String(DownloadErrorCode.named.noSessionContext), String(decoded.downloadResponseError.downloadErrorCode));
      },
    },
  ];
}

/** The last PrepareDownload request of the case, from its recorded steps. */
function prepareDownloadRequestOf(t: CaseContext): Uint8Array {
  const step = [...t.steps].reverse().find((s) => s.title === 'ES10 PrepareDownload');
  return fromHex(String(step?.request ?? ''));
}

function cancelSessionCases(): EuiccCase[] {
  const perReason = (Object.entries(CancelSessionReason.named) as [string, number][]).map(([name, value]): EuiccCase => ({
    id: `ES10b.CancelSession.${name}`,
    title: `CancelSession ${name}(${value}) after AuthenticateServer: euiccCancelSessionSigned names transaction, reason and SM-DP+ OID, signed with SK.EUICC (§5.7.14)`,
    run: async (t, env) => {
      const session = await authenticate(t, env);
      const response = await cancel(env, session.transactionId, value);
      const decoded = decode(t, 'CancelSessionResponse', CancelSessionResponse, response);
      if (!('cancelSessionResponseOk' in decoded)) return t.fail(`cancelSessionResponseError ${decoded.cancelSessionResponseError}`);
      const ok = decoded.cancelSessionResponseOk;
      t.equal('euiccCancelSessionSigned.transactionId', hex(session.transactionId), hex(ok.euiccCancelSessionSigned.transactionId));
      t.equal('euiccCancelSessionSigned.reason', String(value), String(ok.euiccCancelSessionSigned.reason));
      t.ok(ok.euiccCancelSessionSigned.smdpOid.length > 0, 'euiccCancelSessionSigned.smdpOid is present');
      const euicc = parseCertificate(derOf(okOf(session.response).euiccCertificate));
      t.ok(verifyRaw(euicc.publicKey, derOf(ok.euiccCancelSessionSigned), ok.euiccCancelSessionSignature), 'euiccCancelSessionSignature verifies with PK.EUICC.ECDSA');
      exact(t, 'CancelSessionResponse', CancelSessionResponse, response);
    },
  }));
  return [
    ...perReason,
    {
      id: 'ES10b.CancelSession.unknownTransactionId',
      title: 'CancelSession for a transactionId of no session: cancelSessionResponseError invalidTransactionId(5) (§5.7.14)',
      run: async (t, env) => {
        const decoded = decode(t, 'CancelSessionResponse', CancelSessionResponse, await cancel(env, new Uint8Array(randomBytes(16)), CancelSessionReason.named.postponed));
        t.ok('cancelSessionResponseError' in decoded, 'the eUICC answers cancelSessionResponseError');
        if ('cancelSessionResponseError' in decoded) t.equal('cancelSessionResponseError', String(CancelSessionResponse_cancelSessionResponseError.invalidTransactionId), String(decoded.cancelSessionResponseError));
      },
    },
    {
      id: 'ES10b.CancelSession.afterPrepareDownload',
      title: 'CancelSession after PrepareDownload is accepted for the same transaction (§5.7.14)',
      run: async (t, env) => {
        const session = await authenticate(t, env);
        await t.precondition('PrepareDownload', () => env.send('PrepareDownload', prepareDownloadRequest(env, session)));
        const decoded = decode(t, 'CancelSessionResponse', CancelSessionResponse, await cancel(env, session.transactionId, CancelSessionReason.named.timeout));
        t.ok('cancelSessionResponseOk' in decoded, 'the eUICC answers cancelSessionResponseOk');
      },
    },
  ];
}

function profileCases(): EuiccCase[] {
  const absent = <T>(id: string, title: string, request: Uint8Array, codec: Codec<T>, read: (value: T) => number, expected: number, name: string): EuiccCase => ({
    id,
    title: `${title} an ICCID the card does not hold: ${name}(${expected})`,
    run: async (t, env) => {
      const response = await env.send(id, request);
      t.equal(`${id} result`, String(expected), String(read(decode(t, id, codec, response))));
      exact(t, id, codec, response);
    },
  });
  return [
    absent('ES10c.EnableProfile.iccidNotFound', 'EnableProfile (§5.7.16) of', EnableProfileRequest.encode({ profileIdentifier: { iccid: ABSENT_ICCID }, refreshFlag: false }), EnableProfileResponse, (v) => v.enableResult, EnableProfileResponse_enableResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.DisableProfile.iccidNotFound', 'DisableProfile (§5.7.17) of', DisableProfileRequest.encode({ profileIdentifier: { iccid: ABSENT_ICCID }, refreshFlag: false }), DisableProfileResponse, (v) => v.disableResult, DisableProfileResponse_disableResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.DeleteProfile.iccidNotFound', 'DeleteProfile (§5.7.18) of', DeleteProfileRequest.encode({ iccid: ABSENT_ICCID }), DeleteProfileResponse, (v) => v.deleteResult, DeleteProfileResponse_deleteResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.SetNickname.iccidNotFound', 'SetNickname (§5.7.21) of', SetNicknameRequest.encode({ iccid: ABSENT_ICCID, profileNickname: 'conformance' }), SetNicknameResponse, (v) => v.setNicknameResult, SetNicknameResponse_setNicknameResult.iccidNotFound, 'iccidNotFound'),
    {
      id: 'ES10c.GetProfilesInfo.searchAbsentIccid',
      title: 'GetProfilesInfo searching an ICCID the card does not hold answers an empty profileInfoListOk (§5.7.15)',
      run: async (t, env) => {
        const response = await env.send('GetProfilesInfo', ProfileInfoListRequest.encode({ searchCriteria: { iccid: ABSENT_ICCID } }));
        const decoded = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, response);
        t.ok('profileInfoListOk' in decoded, 'profileInfoListOk');
        if ('profileInfoListOk' in decoded) t.equal('profiles found', '0', String(decoded.profileInfoListOk.length));
      },
    },
    {
      id: 'ES10c.GetProfilesInfo.profiles',
      title: 'GetProfilesInfo lists each profile with a 10-byte ICCID and a profile state of disabled(0) or enabled(1) (§5.7.15)',
      run: async (t, env) => {
        const decoded = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, await env.send('GetProfilesInfo', fromHex('BF2D00')));
        if (!('profileInfoListOk' in decoded)) return t.fail(`profileInfoListError ${JSON.stringify(decoded.profileInfoListError)}`);
        t.ok(true, `profileInfoListOk with ${decoded.profileInfoListOk.length} profile(s)`);
        for (const profile of decoded.profileInfoListOk) {
          if (profile.iccid !== undefined) t.equal('ICCID length', '10', String(profile.iccid.length));
          if (profile.profileState !== undefined) t.ok(profile.profileState === 0 || profile.profileState === 1, `profileState of ${hex(profile.iccid)} is 0 or 1`, String(profile.profileState));
        }
      },
    },
    {
      id: 'ES10c.GetEID.checkDigits',
      title: 'GetEUICCData answers a 16-byte EID whose check digits are right (ISO/IEC 7064 MOD 97-10, SGP.29)',
      run: async (t, env) => {
        const response = await env.send('GetEUICCData', fromHex('BF3E035C015A'));
        const eid = hex(decode(t, 'GetEuiccDataResponse', GetEuiccDataResponse, response).eidValue);
        t.equal('EID length (digits)', '32', String(eid.length));
        t.equal('EID check digits', eidWithCheckDigits(eid.slice(0, 30)), eid);
      },
    },
  ];
}

function infoCases(): EuiccCase[] {
  return [
    {
      id: 'ES10b.GetEUICCChallenge.length',
      title: 'GetEUICCChallenge answers BF2E 12 80 10 and 16 bytes (§5.7.7)',
      run: async (t, env) => {
        const response = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        t.equal('response header', 'BF2E128010', hex(response.slice(0, 5)));
        t.equal('response length', '21', String(response.length));
      },
    },
    {
      id: 'ES10b.GetEUICCChallenge.fresh',
      title: 'two GetEUICCChallenge calls give different challenges (§5.7.7)',
      run: async (t, env) => {
        const a = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        const b = await env.send('GetEUICCChallenge', fromHex('BF2E00'));
        t.ok(hex(a) !== hex(b), 'the challenges differ', hex(a));
      },
    },
    {
      id: 'ES10b.GetEUICCInfo1.svn',
      title: 'euiccInfo1 has a 3-byte SVN of major version 2 and non-empty CI key id lists (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        t.equal('svn length', '3', String(info.svn.length));
        t.equal('svn major', '2', String(info.svn[0]));
        t.ok(info.euiccCiPKIdListForVerification.length > 0, 'euiccCiPKIdListForVerification is not empty');
        t.ok(info.euiccCiPKIdListForSigning.length > 0, 'euiccCiPKIdListForSigning is not empty');
      },
    },
    {
      id: 'ES10b.GetEUICCInfo1.trustsCi',
      title: 'euiccInfo1 names the CI the runner signs under, for verification and signing (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        const ci = hex(subjectKeyIdentifierOf(env.server.ci));
        t.ok(info.euiccCiPKIdListForVerification.map(hex).includes(ci), `euiccCiPKIdListForVerification contains ${ci}`);
        t.ok(info.euiccCiPKIdListForSigning.map(hex).includes(ci), `euiccCiPKIdListForSigning contains ${ci}`);
      },
    },
    {
      id: 'ES10b.GetEUICCInfo2.matchesInfo1',
      title: 'euiccInfo2 repeats euiccInfo1\'s SVN and CI key id lists (§5.7.8)',
      run: async (t, env) => {
        const info1 = decode(t, 'EUICCInfo1', EUICCInfo1, await env.send('GetEUICCInfo1', fromHex('BF2000')));
        const info2 = decode(t, 'EUICCInfo2', EUICCInfo2, await env.send('GetEUICCInfo2', fromHex('BF2200')));
        t.equal('svn', hex(info1.svn), hex(info2.svn));
        t.equal('euiccCiPKIdListForVerification', info1.euiccCiPKIdListForVerification.map(hex).join(','), info2.euiccCiPKIdListForVerification.map(hex).join(','));
        t.equal('euiccCiPKIdListForSigning', info1.euiccCiPKIdListForSigning.map(hex).join(','), info2.euiccCiPKIdListForSigning.map(hex).join(','));
      },
    },
    {
      id: 'ES10b.GetEUICCInfo2.versions',
      title: 'euiccInfo2 has 3-byte profileVersion, euiccFirmwareVer and ppVersion (§5.7.8)',
      run: async (t, env) => {
        const info = decode(t, 'EUICCInfo2', EUICCInfo2, await env.send('GetEUICCInfo2', fromHex('BF2200')));
        t.equal('profileVersion length', '3', String(info.profileVersion.length));
        t.equal('euiccFirmwareVer length', '3', String(info.euiccFirmwareVer.length));
        t.equal('ppVersion length', '3', String(info.ppVersion.length));
      },
    },
    {
      id: 'ES10a.GetEuiccConfiguredAddresses.rootDs',
      title: 'GetEuiccConfiguredAddresses answers a non-empty rootDsAddress (§5.7.3)',
      run: async (t, env) => {
        const addresses = decode(t, 'EuiccConfiguredAddressesResponse', EuiccConfiguredAddressesResponse, await env.send('GetEuiccConfiguredAddresses', fromHex('BF3C00')));
        t.ok(addresses.rootDsAddress.length > 0, 'rootDsAddress is not empty');
      },
    },
    {
      id: 'ES10b.ListNotification.metadata',
      title: 'ListNotification answers each notification with a sequence number and a notification address (§5.7.9)',
      run: async (t, env) => {
        const decoded = decode(t, 'ListNotificationResponse', ListNotificationResponse, await env.send('ListNotification', fromHex('BF2800')));
        if (!('notificationMetadataList' in decoded)) return t.fail(`listNotificationsResultError ${JSON.stringify(decoded)}`);
        t.ok(true, `notificationMetadataList of ${decoded.notificationMetadataList.length}`);
        for (const metadata of decoded.notificationMetadataList) t.ok(metadata.notificationAddress.length > 0, `notification ${metadata.seqNumber} has an address`);
      },
    },
    {
      id: 'ES10b.RemoveNotificationFromList.unknown',
      title: 'RemoveNotificationFromList of a sequence number that does not exist: nothingToDelete(1) (§5.7.11)',
      run: async (t, env) => {
        const response = await env.send('RemoveNotificationFromList', NotificationSentRequest.encode({ seqNumber: 0x7ffffff0n }));
        t.equal('deleteNotificationStatus', String(NotificationSentResponse_deleteNotificationStatus.nothingToDelete), String(decode(t, 'NotificationSentResponse', NotificationSentResponse, response).deleteNotificationStatus));
        exact(t, 'NotificationSentResponse', NotificationSentResponse, response);
      },
    },
  ];
}

function notificationCases(): EuiccCase[] {
  const pending = async (t: CaseContext, env: EuiccEnv) => {
    const decoded = decode(t, 'RetrieveNotificationsListResponse', RetrieveNotificationsListResponse, await env.send('RetrieveNotificationsList', fromHex('BF2B00')));
    // SPEC-AMBIGUITY: a card with nothing pending may answer an empty list or noResultAvailable(1); both mean none.
    return 'notificationList' in decoded ? decoded.notificationList : [];
  };
  return [
    {
      id: 'ES10b.RetrieveNotificationsList.signatures',
      title: 'each pending notification is signed with SK.EUICC: euiccSignPIR over profileInstallationResultData, euiccNotificationSignature over tbsOtherNotification (§5.7.10, §5.7.6)',
      run: async (t, env) => {
        const list = await pending(t, env);
        if (list.length === 0) return t.inconclusive('the card holds no pending notification to check');
        const session = await authenticate(t, env);
        const euicc = parseCertificate(derOf(okOf(session.response).euiccCertificate));
        await cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection);
        for (const notification of list) {
          if ('profileInstallationResult' in notification) {
            const pir = notification.profileInstallationResult;
            const seq = pir.profileInstallationResultData.notificationMetadata.seqNumber;
            t.ok(verifyRaw(euicc.publicKey, derOf(pir.profileInstallationResultData), pir.euiccSignPIR), `euiccSignPIR of notification ${seq} verifies with PK.EUICC.ECDSA`);
          } else {
            const other = notification.otherSignedNotification;
            const signer = parseCertificate(derOf(other.euiccCertificate));
            t.equal(`euiccCertificate of notification ${other.tbsOtherNotification.seqNumber}`, hex(euicc.der), hex(signer.der));
            t.ok(verifyRaw(signer.publicKey, derOf(other.tbsOtherNotification), other.euiccNotificationSignature), `euiccNotificationSignature of notification ${other.tbsOtherNotification.seqNumber} verifies`);
          }
        }
      },
    },
    {
      id: 'ES10b.RetrieveNotificationsList.matchesListNotification',
      title: 'RetrieveNotificationsList returns the notifications ListNotification lists, by sequence number (§5.7.9, §5.7.10)',
      run: async (t, env) => {
        const listed = decode(t, 'ListNotificationResponse', ListNotificationResponse, await env.send('ListNotification', fromHex('BF2800')));
        const seqs = 'notificationMetadataList' in listed ? listed.notificationMetadataList.map((m) => String(m.seqNumber)) : [];
        const retrieved = (await pending(t, env)).map((n) => String('profileInstallationResult' in n ? n.profileInstallationResult.profileInstallationResultData.notificationMetadata.seqNumber : n.otherSignedNotification.tbsOtherNotification.seqNumber));
        t.equal('sequence numbers', seqs.join(','), retrieved.join(','));
      },
    },
    {
      id: 'ES10b.RetrieveNotificationsList.bySeqNumber',
      title: 'RetrieveNotificationsList searching one sequence number returns exactly that notification (§5.7.10)',
      run: async (t, env) => {
        const list = await pending(t, env);
        const first = list[0];
        if (first === undefined) return t.inconclusive('the card holds no pending notification to search for');
        const seq = 'profileInstallationResult' in first ? first.profileInstallationResult.profileInstallationResultData.notificationMetadata.seqNumber : first.otherSignedNotification.tbsOtherNotification.seqNumber;
        const decoded = decode(t, 'RetrieveNotificationsListResponse', RetrieveNotificationsListResponse, await env.send('RetrieveNotificationsList', RetrieveNotificationsListRequest.encode({ searchCriteria: { seqNumber: seq } })));
        if (!('notificationList' in decoded)) return t.fail(`notificationsListResultError ${decoded.notificationsListResultError} for seqNumber ${seq}`);
        t.equal('notifications found', '1', String(decoded.notificationList.length));
        t.equal('the one found', hex(PendingNotification.encode(first)), hex(PendingNotification.encode(decoded.notificationList[0] as typeof first)));
      },
    },
  ];
}

/** Cases that change the card beyond a session: only with --destructive. */
function destructiveCases(): EuiccCase[] {
  return [
    {
      id: 'ES10c.eUICCMemoryReset.operationalProfiles',
      title: 'eUICCMemoryReset of the operational profiles and the default SM-DP+ address: ok(0) or nothingToDelete(1), then no operational profile and no default address is left (§5.7.19)',
      run: async (t, env) => {
        // resetOptions bits 0 (deleteOperationalProfiles) and 2 (resetDefaultSmdpAddress): 101 then 5 unused bits.
        const response = await env.send('eUICCMemoryReset', EuiccMemoryResetRequest.encode({ resetOptions: { bytes: Uint8Array.of(0xa0), unusedBits: 5 } }));
        const result = decode(t, 'EuiccMemoryResetResponse', EuiccMemoryResetResponse, response).resetResult;
        t.ok(result === EuiccMemoryResetResponse_resetResult.ok || result === EuiccMemoryResetResponse_resetResult.nothingToDelete, 'resetResult is ok(0) or nothingToDelete(1)', String(result));
        const profiles = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, await env.send('GetProfilesInfo', fromHex('BF2D00')));
        if (!('profileInfoListOk' in profiles)) return t.fail('profileInfoListError after the reset');
        // profileClass absent means operational(2) (DEFAULT, §5.7.15).
        t.equal('operational profiles left', '0', String(profiles.profileInfoListOk.filter((profile) => (profile.profileClass ?? 2) === 2).length));
        const addresses = decode(t, 'EuiccConfiguredAddressesResponse', EuiccConfiguredAddressesResponse, await env.send('GetEuiccConfiguredAddresses', fromHex('BF3C00')));
        t.equal('defaultDpAddress', '(absent)', addresses.defaultDpAddress ?? '(absent)');
      },
    },
  ];
}

export function euiccCases(destructive = false): EuiccCase[] {
  return [
    ...(destructive ? destructiveCases() : []),
    ...readCase('ES10b.GetEUICCChallenge', 'GetEUICCChallenge (§5.7.7)', 'BF2E00', GetEuiccChallengeResponse as Codec<unknown>, 'BF2E'),
    ...readCase('ES10b.GetEUICCInfo1', 'GetEUICCInfo1 (§5.7.8)', 'BF2000', EUICCInfo1 as Codec<unknown>, 'BF20'),
    ...readCase('ES10b.GetEUICCInfo2', 'GetEUICCInfo2 (§5.7.8)', 'BF2200', EUICCInfo2 as Codec<unknown>, 'BF22'),
    ...readCase('ES10a.GetEuiccConfiguredAddresses', 'GetEuiccConfiguredAddresses (§5.7.3)', 'BF3C00', EuiccConfiguredAddressesResponse as Codec<unknown>, 'BF3C'),
    ...readCase('ES10b.ListNotification', 'ListNotification (§5.7.9)', 'BF2800', ListNotificationResponse as Codec<unknown>, 'BF28'),
    ...readCase('ES10b.RetrieveNotificationsList', 'RetrieveNotificationsList (§5.7.10)', 'BF2B00', RetrieveNotificationsListResponse as Codec<unknown>, 'BF2B'),
    ...readCase('ES10b.GetRAT', 'GetRAT (§5.7.22)', 'BF4300', GetRatResponse as Codec<unknown>, 'BF43'),
    ...readCase('ES10c.GetProfilesInfo', 'GetProfilesInfo (§5.7.15)', 'BF2D00', ProfileInfoListResponse as Codec<unknown>, 'BF2D'),
    ...readCase('ES10c.GetEID', 'GetEUICCData (§5.7.20)', 'BF3E035C015A', GetEuiccDataResponse as Codec<unknown>, 'BF3E'),
    ...infoCases(),
    ...authenticateCases(),
    ...prepareDownloadCases(),
    ...cancelSessionCases(),
    ...notificationCases(),
    ...profileCases(),
  ];
}
