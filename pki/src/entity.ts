import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RspCertificate } from './certificate/RspCertificate.js';
import { parseCertificate } from './certificate/RspCertificate.js';
import { derFromFileBytes } from './certificate/pem.js';
import { readPrivateKeyFile } from './keys/keyFile.js';
import { createKeyObjectSigner, type Signer } from './keys/signer.js';
import { PkiUsageError } from './errors.js';

/**
 * A certificate and the Signer of its private key, wherever that key is (a key file, a PKCS#11 token): what a
 * server needs to sign as a role (CERT.DPauth, CERT.DPpb, CERT.DSauth) without holding the private key.
 */
export interface CertifiedSigner {
  readonly certificate: RspCertificate;
  readonly signer: Signer;
}

/** One certificate holder of a loaded hierarchy: the certificate, its key, and where both live. */
export interface PkiEntity extends CertifiedSigner {
  readonly certificate: RspCertificate;
  readonly certificatePath: string;
  readonly keyPath: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly signer: Signer;
}

/** Reads the first certificate of a DER or PEM file. */
export function readCertificateFile(path: string): RspCertificate {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new PkiUsageError(`cannot read certificate ${path}: ${(error as Error).message}`, { cause: error });
  }
  const [der] = derFromFileBytes(bytes, 'CERTIFICATE');
  if (der === undefined) throw new PkiUsageError(`${path}: no certificate in the file`);
  return parseCertificate(der);
}

/** Loads a certificate and its private key, and checks that they belong together. */
export function loadEntity(certificatePath: string, keyPath: string): PkiEntity {
  const certificate = readCertificateFile(certificatePath);
  const { privateKey, publicKey } = readPrivateKeyFile(keyPath);
  const certificateKey = certificate.publicKey.export({ type: 'spki', format: 'der' });
  if (!certificateKey.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new PkiUsageError(`${keyPath} is not the private key of ${certificatePath}`);
  }
  return { certificate, certificatePath, keyPath, privateKey, publicKey, signer: createKeyObjectSigner(privateKey, publicKey) };
}
