// ES10b session cases: AuthenticateServer (§5.7.13), PrepareDownload (§5.7.5) and CancelSession (§5.7.14), with the runner playing the SM-DP+.
import { randomBytes } from 'node:crypto';
import { AuthenticateErrorCode, AuthenticateServerRequest, AuthenticateServerResponse, CancelSessionReason, CancelSessionResponse, CancelSessionResponse_cancelSessionResponseError, Certificate, DownloadErrorCode, GetEuiccDataResponse, PrepareDownloadRequest, PrepareDownloadResponse, ServerSigned1, derOf, encodeTlv, signRaw, verifyDer, verifyRaw } from '@zkesim/protocol';
import { eidOf, parseCertificate } from '@zkesim/pki';
import type { CaseContext } from '../runner/model.js';
import type { EuiccCase, EuiccEnv } from './env.js';
import { hex, fromHex, decode, exact } from './support.js';
import { type Authenticated, authenticateServerRequest, authenticate, okOf, prepareDownloadRequest, cancel, flip, prepareDownloadRequestOf } from './session.js';

export function authenticateCases(): EuiccCase[] {
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

export function prepareDownloadCases(): EuiccCase[] {
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

export function cancelSessionCases(): EuiccCase[] {
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
