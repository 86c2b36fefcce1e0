// Helpers shared by the SM-DP+ ES9+ function cases (functionCases.ts and one file per ES9+ function):
// preconditions up to each step of the download, and small decoders and checks on the answers.
import { AuthenticateServerResponse, EuiccSigned1, PrepareDownloadResponse, derOf, signRaw, verifyDer } from '@zkesim/protocol';
import { policiesOf, parseCertificate, type RspCertificate } from '@zkesim/pki';
import { createPrivateKey } from 'node:crypto';
import type { CaseContext } from '../runner/model.js';
import { mustSucceed } from './checks.js';
import type { SmdpEnv } from './env.js';
import type { Es9Session } from './session.js';

export const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));
export const hex = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '(absent)' : Buffer.from(bytes).toString('hex').toUpperCase());
/** The value of a `5F37 40` signature data object. */
export const signatureValue = (tlv: Uint8Array): Uint8Array => (tlv[0] === 0x5f && tlv[1] === 0x37 && tlv[2] === 0x40 ? tlv.slice(3) : tlv);

/** Precondition: a session up to a successful InitiateAuthentication and AuthenticateServer for `matchingId`. */
export async function authenticatedServer(t: CaseContext, env: SmdpEnv, matchingId: string | undefined, session?: Es9Session): Promise<Es9Session> {
  return t.precondition('InitiateAuthentication succeeds and the eUICC authenticates the server', async () => {
    const s = session ?? (await env.session());
    mustSucceed('InitiateAuthentication', await s.initiateAuthentication());
    const response = AuthenticateServerResponse.decode(await s.authenticateServer(matchingId));
    if (!('authenticateResponseOk' in response)) throw new Error(`the eUICC refused the server (authenticateResponseError ${JSON.stringify(response.authenticateResponseError)})`);
    return s;
  });
}

/** Precondition: a session up to a successful AuthenticateClient. */
export async function authenticatedClient(t: CaseContext, env: SmdpEnv, matchingId: string, session?: Es9Session): Promise<Es9Session> {
  const s = await authenticatedServer(t, env, matchingId, session);
  await t.precondition('AuthenticateClient succeeds', async () => mustSucceed('AuthenticateClient', await s.authenticateClient()));
  return s;
}

/** Precondition: a session up to a successful GetBoundProfilePackage. */
export async function bound(t: CaseContext, env: SmdpEnv, matchingId: string, confirmationCode?: string, session?: Es9Session): Promise<Es9Session> {
  const s = await authenticatedClient(t, env, matchingId, session);
  await t.precondition('PrepareDownload and GetBoundProfilePackage succeed', async () => {
    const prepared = PrepareDownloadResponse.decode(await s.prepareDownload(confirmationCode));
    if (!('downloadResponseOk' in prepared)) throw new Error(`the eUICC refused PrepareDownload (${JSON.stringify(prepared.downloadResponseError)})`);
    mustSucceed('GetBoundProfilePackage', await s.getBoundProfilePackage());
  });
  return s;
}

export function authenticateResponseOk(bytes: Uint8Array) {
  const response = AuthenticateServerResponse.decode(bytes);
  if (!('authenticateResponseOk' in response)) throw new Error('the eUICC refused the server');
  return response.authenticateResponseOk;
}

/** Checks that `certificate` is signed by the CI and carries the role policy `role`. */
export function checkIssuedByCi(t: CaseContext, what: string, certificate: RspCertificate, ci: RspCertificate, role: string): void {
  t.ok(verifyDer(ci.publicKey, certificate.tbsDer, certificate.signature.bytes), `${what} is signed by the CI's key`);
  t.ok(policiesOf(certificate).includes(role), `${what} carries the certificate policy ${role}`, policiesOf(certificate).join(', '));
}

export function parseCertificateField(t: CaseContext, what: string, text: unknown): RspCertificate {
  try {
    return parseCertificate(unb64(text));
  } catch (error) {
    return t.fail(`${what} is not a DER X.509 certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Re-signs a modified euiccSigned1 with the played eUICC's own key: a well-signed but wrong message. */
export function resignedAuthenticateServerResponse(env: SmdpEnv, original: Uint8Array, change: (signed: EuiccSigned1) => EuiccSigned1): Uint8Array {
  const ok = authenticateResponseOk(original);
  const euiccSigned1 = EuiccSigned1.decode(EuiccSigned1.encode(change(ok.euiccSigned1)));
  const key = createPrivateKey({ key: Buffer.from(env.identity.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  const euiccSignature1 = signRaw(key, derOf(euiccSigned1));
  return AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSigned1, euiccSignature1 } });
}

export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
