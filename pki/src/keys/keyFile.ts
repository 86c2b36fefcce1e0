// File adapter for keys: PEM PKCS#8 private keys, always mode 0600 (owner read/write only).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fchmodSync, openSync, readFileSync, writeSync } from 'node:fs';
import { UnsupportedCurveError, curveOfKey, opensslCurveName, type CurveName } from '@zkesim/protocol';
import { createKeyObjectSigner, type Signer } from './signer.js';
import { PkiUsageError } from '../errors.js';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh key pair on an RSP curve (OpenSSL through node:crypto; WebCrypto has no brainpool). */
export function generateKeyPair(curve: CurveName): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: opensslCurveName(curve) });
}

/** Mode of every private key file we write. */
export const PRIVATE_KEY_FILE_MODE = 0o600;

/**
 * Writes `privateKey` as PEM PKCS#8 with mode 0600. Refuses an existing file unless `overwrite`; the mode
 * is set on the open descriptor, so an overwritten file with looser permissions is tightened too.
 */
export function writePrivateKeyFile(path: string, privateKey: KeyObject, options: { overwrite?: boolean } = {}): void {
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const fd = openSync(path, options.overwrite === true ? 'w' : 'wx', PRIVATE_KEY_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_KEY_FILE_MODE);
    writeSync(fd, Buffer.from(pem));
  } finally {
    closeSync(fd);
  }
}

/** Reads a PEM private key (PKCS#8 or SEC1) on an RSP curve, with its public key. */
export function readPrivateKeyFile(path: string): KeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new PkiUsageError(`cannot read private key ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    curveOfKey(privateKey);
  } catch (error) {
    if (error instanceof UnsupportedCurveError) throw new PkiUsageError(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A Signer for the private key in a PEM file. */
export function readSignerFile(path: string): Signer {
  const { privateKey, publicKey } = readPrivateKeyFile(path);
  return createKeyObjectSigner(privateKey, publicKey);
}
