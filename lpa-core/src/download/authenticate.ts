// Common mutual authentication (SGP.22 v2.2.2 §3.0.1), shared by the download (§3.1.3) and SM-DS event
// retrieval (§3.6.4): GetEUICCChallenge, GetEUICCInfo1, InitiateAuthentication, AuthenticateServer.
import {
  AuthenticateErrorCode, Certificate, ServerSigned1, nameOfNumber, readTlv, type AuthenticateServerRequest, type AuthenticateServerResponse, type DeviceInfo,
  type ResponseOf, type es9plusFunctions,
} from '@zkesim/protocol';
import { buildDeviceInfo } from '../deviceInfo.js';
import { parseCertificate, registeredIdsOf } from '@zkesim/pki';
import { Es10ResultError, SmdpOidMismatch } from '../errors.js';
import { authenticateServer, getEuiccChallenge, getEuiccInfo1, type Received } from '../es10-client/es10b.js';
import type { LpaContext } from '../context.js';

export interface AuthenticatedSession {
  readonly transactionId: Uint8Array;
  readonly serverAddress: string;
  readonly authenticateServerResponse: Received<AuthenticateServerResponse>;
}

/** The fields of an ES9+ or ES11 InitiateAuthentication answer that the eUICC gets (§5.6.1, §5.8.1). */
export type InitiateAuthenticationAnswer = Pick<
  ResponseOf<typeof es9plusFunctions.initiateAuthentication>,
  'serverSigned1' | 'serverSignature1' | 'euiccCiPKIdToBeUsed' | 'serverCertificate'
>;

/**
 * ES10b.AuthenticateServer's request (§5.7.13) from the server's InitiateAuthentication answer, with
 * ctxParams1 for common authentication: the matchingId (absent in the default SM-DP+ and SM-DS cases)
 * and the device's DeviceInfo.
 */
export function authenticateServerRequest(initiated: InitiateAuthenticationAnswer, matchingId: string | undefined, deviceInfo: DeviceInfo): AuthenticateServerRequest {
  return {
    serverSigned1: ServerSigned1.decode(initiated.serverSigned1),
    // The JSON carries the whole 5F37 and 04 DOs, not their values; the request wants the values.
    serverSignature1: readTlv(initiated.serverSignature1).value,
    euiccCiPKIdToBeUsed: readTlv(initiated.euiccCiPKIdToBeUsed).value,
    serverCertificate: Certificate.decode(initiated.serverCertificate),
    ctxParams1: {
      ctxParamsForCommonAuthentication: {
        ...(matchingId === undefined ? {} : { matchingId }),
        deviceInfo,
      },
    },
  };
}

export function authenticateErrorName(code: number): string {
  return nameOfNumber(AuthenticateErrorCode.named, code) ?? 'unknown';
}

/**
 * Runs the first half of common mutual authentication against `address` and returns the eUICC's answer
 * (authenticateResponseOk or authenticateResponseError: both are forwarded to AuthenticateClient, which
 * lets the server close its session, §5.6.3).
 */
export async function authenticateWithServer(context: LpaContext, address: string, matchingId: string | undefined, es11 = false, expectedOid?: string): Promise<AuthenticatedSession> {
  const { channel, progress } = context;
  const server = context.server(address);
  progress?.('getEuiccChallenge');
  const euiccChallenge = await getEuiccChallenge(channel);
  progress?.('getEuiccInfo1');
  const euiccInfo1 = await getEuiccInfo1(channel);
  progress?.('initiateAuthentication', address);
  const body = { euiccChallenge, euiccInfo1: euiccInfo1.bytes, smdpAddress: address };
  const initiated = es11 ? await server.es11InitiateAuthentication(body) : await server.initiateAuthentication(body);
  if (expectedOid !== undefined) assertServerOid(initiated.serverCertificate, expectedOid);
  progress?.('authenticateServer');
  const response = await authenticateServer(channel, authenticateServerRequest(initiated, matchingId, buildDeviceInfo(context.device)));
  return { transactionId: initiated.transactionId, serverAddress: address, authenticateServerResponse: response };
}

/**
 * The activation code's SM-DP+ OID must be the registeredID of CERT.DPauth (SGP.22 §4.1),
 * checked before the card is asked to authenticate the server.
 */
function assertServerOid(serverCertificate: Uint8Array, expectedOid: string): void {
  const oids = registeredIdsOf(parseCertificate(serverCertificate));
  if (!oids.includes(expectedOid)) throw new SmdpOidMismatch(expectedOid, oids);
}

/** The eUICC refused the server: an Es10ResultError naming the authenticateErrorCode. */
export function authenticateServerFailure(code: number): Es10ResultError {
  return new Es10ResultError('AuthenticateServer', code, authenticateErrorName(code));
}
