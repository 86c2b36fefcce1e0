// The runner as SM-DP+ for the ES10b session cases (SGP.22 §5.7.13, §5.7.5, §5.7.14): AuthenticateServer and PrepareDownload requests, CancelSession.
import { randomBytes } from 'node:crypto';
import { AuthenticateServerRequest, AuthenticateServerResponse, CancelSessionRequest, Certificate, GetEuiccChallengeResponse, PrepareDownloadRequest, ServerSigned1, SmdpSigned2, encodeTlv, signRaw } from '@zkesim/protocol';
import { buildDeviceInfo } from '@zkesim/lpa-core';
import { subjectKeyIdentifierOf } from '@zkesim/pki';
import type { CaseContext } from '../runner/model.js';
import type { EuiccEnv } from './env.js';
import { fromHex, decode } from './support.js';

export interface Authenticated {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverSigned1: ServerSigned1;
  response: Uint8Array;
}

/** The runner as SM-DP+: a serverSigned1 over a fresh challenge from the card, signed with SK.DPauth. */
export async function authenticateServerRequest(t: CaseContext, env: EuiccEnv, change: (request: AuthenticateServerRequest) => AuthenticateServerRequest = (r) => r) {
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

export async function authenticate(t: CaseContext, env: EuiccEnv): Promise<Authenticated> {
  return t.precondition('AuthenticateServer succeeds', async () => {
    const { request, transactionId, challenge, serverSigned1 } = await authenticateServerRequest(t, env);
    const response = await env.send('AuthenticateServer', AuthenticateServerRequest.encode(request));
    const decoded = AuthenticateServerResponse.decode(response);
    if (!('authenticateResponseOk' in decoded)) throw new Error(`authenticateResponseError ${JSON.stringify(decoded.authenticateResponseError)}`);
    return { transactionId, euiccChallenge: challenge, serverSigned1, response };
  });
}

export function okOf(response: Uint8Array) {
  const decoded = AuthenticateServerResponse.decode(response);
  if (!('authenticateResponseOk' in decoded)) throw new Error('not authenticateResponseOk');
  return decoded.authenticateResponseOk;
}

/** The runner as SM-DP+: smdpSigned2 signed with SK.DPpb over smdpSigned2 ‖ euiccSignature1 (§5.7.5). */
export function prepareDownloadRequest(env: EuiccEnv, session: Authenticated, options: { transactionId?: Uint8Array; ccRequiredFlag?: boolean; tamper?: boolean; hashCc?: Uint8Array } = {}): Uint8Array {
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

export async function cancel(env: EuiccEnv, transactionId: Uint8Array, reason: number): Promise<Uint8Array> {
  return env.send(`CancelSession (reason ${reason})`, CancelSessionRequest.encode({ transactionId, reason }));
}

export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** The last PrepareDownload request of the case, from its recorded steps. */
export function prepareDownloadRequestOf(t: CaseContext): Uint8Array {
  const step = [...t.steps].reverse().find((s) => s.title === 'ES10 PrepareDownload');
  return fromHex(String(step?.request ?? ''));
}
