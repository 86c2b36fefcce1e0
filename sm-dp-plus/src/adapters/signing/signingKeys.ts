// Where SK.DPauth and SK.DPpb sign (`signing.kind`): PEM key files in this process (software), or keys in a
// PKCS#11 token that never leave it (pkcs11). Opened once at start-up, so a wrong PIN, a missing token or a
// missing key label stops the SM-DP+ before it listens, not at its first download. The token's public key is
// checked against the configured certificate, as loadEntity does for a key file.
import { loadEntity, readCertificateFile, type CertifiedSigner } from '@zkesim/pki';
import { smdpConfigError, type CredentialConfig, type SmdpConfig } from '../../config.js';
import { Pkcs11Token, Pkcs11TokenError } from '../pkcs11/pkcs11Token.js';

/** The environment variable holding the token's user PIN: never a configuration key, so never in a file. */
export const PKCS11_PIN_VARIABLE = 'SMDP_PKCS11_PIN';

/** The two signing roles of a credential set and their configuration keys. */
export type SigningRole = 'dpAuth' | 'dpPb';

export interface SigningKeys {
  /** CERT.DPauth or CERT.DPpb of `credentials[index]` with the Signer of its private key. */
  credential(index: number, role: SigningRole): CertifiedSigner;
  /** Ends the token session (software: nothing to do). */
  close(): void;
}

/** Opens what `signing` names; every credential's keys are looked up now. */
export function openSigningKeys(config: SmdpConfig, env: Readonly<Record<string, string | undefined>>): SigningKeys {
  const signing = config.signing;
  if (signing.kind === 'software') {
    config.credentials.forEach((credential, index) => refuseLabels(config, credential, index));
    const entities = config.credentials.map((credential, index) => ({
      dpAuth: loadEntity(credential.dpAuthCertificate, required(config, credential.dpAuthKey, index, 'dpAuthKey')),
      dpPb: loadEntity(credential.dpPbCertificate, required(config, credential.dpPbKey, index, 'dpPbKey')),
    }));
    return { credential: (index, role) => pick(entities, index)[role], close: () => undefined };
  }
  const pin = env[PKCS11_PIN_VARIABLE];
  if (pin === undefined || pin === '') {
    throw smdpConfigError(config, 'signing.kind', `pkcs11 needs the token's user PIN in the environment variable ${PKCS11_PIN_VARIABLE}`);
  }
  const token = openToken(config, { module: signing.module, tokenLabel: signing.tokenLabel, pin });
  try {
    const entities = config.credentials.map((credential, index) => {
      refuseKeyFiles(config, credential, index);
      return {
        dpAuth: tokenEntity(config, token, credential.dpAuthCertificate, required(config, credential.dpAuthKeyLabel, index, 'dpAuthKeyLabel'), `credentials[${index}].dpAuthKeyLabel`),
        dpPb: tokenEntity(config, token, credential.dpPbCertificate, required(config, credential.dpPbKeyLabel, index, 'dpPbKeyLabel'), `credentials[${index}].dpPbKeyLabel`),
      };
    });
    return { credential: (index, role) => pick(entities, index)[role], close: () => token.close() };
  } catch (error) {
    token.close();
    throw error;
  }
}

function openToken(config: SmdpConfig, options: { module: string; tokenLabel: string; pin: string }): Pkcs11Token {
  try {
    return Pkcs11Token.open(options);
  } catch (error) {
    if (error instanceof Pkcs11TokenError) throw smdpConfigError(config, 'signing', error.message, { cause: error });
    throw error;
  }
}

function tokenEntity(config: SmdpConfig, token: Pkcs11Token, certificatePath: string, label: string, key: string): CertifiedSigner {
  const certificate = readCertificateFile(certificatePath);
  let signer;
  try {
    signer = token.signer(label);
  } catch (error) {
    if (error instanceof Pkcs11TokenError) throw smdpConfigError(config, key, error.message, { cause: error });
    throw error;
  }
  const expected = certificate.publicKey.export({ type: 'spki', format: 'der' });
  if (!expected.equals(signer.publicKey.export({ type: 'spki', format: 'der' }))) {
    throw smdpConfigError(config, key, `the token's key "${label}" is not the key of ${certificatePath}`);
  }
  return { certificate, signer };
}

function required(config: SmdpConfig, value: string | undefined, index: number, field: keyof CredentialConfig): string {
  if (value === undefined) throw smdpConfigError(config, `credentials[${index}].${field}`, `is required with signing.kind ${config.signing.kind}`);
  return value;
}

function refuseLabels(config: SmdpConfig, credential: CredentialConfig, index: number): void {
  for (const field of ['dpAuthKeyLabel', 'dpPbKeyLabel'] as const) {
    if (credential[field] !== undefined) throw smdpConfigError(config, `credentials[${index}].${field}`, 'names a token key: set signing.kind pkcs11 (or remove it)');
  }
}

/** With keys in a token a key file beside them would be a second, weaker copy: refused, so none is read. */
function refuseKeyFiles(config: SmdpConfig, credential: CredentialConfig, index: number): void {
  for (const field of ['dpAuthKey', 'dpPbKey'] as const) {
    if (credential[field] !== undefined) throw smdpConfigError(config, `credentials[${index}].${field}`, 'names a key file while signing.kind is pkcs11: remove it (the key is in the token)');
  }
}

function pick<T>(list: readonly T[], index: number): T {
  const found = list[index];
  if (found === undefined) throw new RangeError(`no credential set ${index}`);
  return found;
}
