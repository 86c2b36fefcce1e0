// What the mutant fronts (mutantSmdp.ts, mutantSmds.ts) share: reading and writing the base64 fields of a JSON
// request, and the one repair both make to ES9+/ES11 AuthenticateClient: an euiccSignature1 that does not
// verify is replaced by a valid one, so the server behind looks as if it never checked it.
import type { KeyObject } from 'node:crypto';
import { AuthenticateServerResponse, EuiccSigned1, derOf, signRaw, verifyRaw } from '@zkesim/protocol';
import { parseCertificate } from '@zkesim/pki';

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));

/** The decoded value, or undefined when the bytes do not decode (the front then leaves the request alone). */
export function tryDecode<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

/** Re-signs `body.authenticateServerResponse`'s euiccSigned1 with `euiccKey` when its signature does not verify. */
export function repairEuiccSignature1(body: Record<string, unknown>, euiccKey: () => KeyObject): void {
  const response = tryDecode(() => AuthenticateServerResponse.decode(unb64(body.authenticateServerResponse)));
  if (response === undefined || !('authenticateResponseOk' in response)) return;
  const ok = response.authenticateResponseOk;
  // Only a signature that does not verify is replaced: a valid one stays as the eUICC made it.
  const euicc = tryDecode(() => parseCertificate(derOf(ok.euiccCertificate)));
  if (euicc === undefined || verifyRaw(euicc.publicKey, derOf(ok.euiccSigned1), ok.euiccSignature1)) return;
  const euiccSignature1 = signRaw(euiccKey(), derOf(ok.euiccSigned1));
  body.authenticateServerResponse = b64(AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSigned1: EuiccSigned1.decode(derOf(ok.euiccSigned1)), euiccSignature1 } }));
}
