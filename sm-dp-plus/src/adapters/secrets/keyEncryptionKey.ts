// Where the key-encryption key of the store's sealed secrets comes from: the environment variable
// SMDP_KEY_ENCRYPTION_KEY (base64 or hex of 32 bytes; for deployments that inject secrets), else the file
// `secrets.keyEncryptionKeyFile` (the same text), created with mode 0600 on first start when
// `secrets.generateKeyEncryptionKey` is set (`npm start` does). A key file that its group or others may
// read is refused: the key is worth as much as every Ki it protects.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AesGcmSealer } from './aesGcmSealer.js';

export const KEK_ENVIRONMENT_VARIABLE = 'SMDP_KEY_ENCRYPTION_KEY';

export interface KeyEncryptionKeySource {
  /** The key file (`secrets.keyEncryptionKeyFile`). */
  file: string;
  /** Create the file with a fresh random key when it does not exist (`secrets.generateKeyEncryptionKey`). */
  generate: boolean;
}

export class KeyEncryptionKeyError extends Error {
  override readonly name = 'KeyEncryptionKeyError';
}

/** The key source the configuration names. */
export function secretsOf(config: { secrets: { keyEncryptionKeyFile: string; generateKeyEncryptionKey: boolean } }): KeyEncryptionKeySource {
  return { file: config.secrets.keyEncryptionKeyFile, generate: config.secrets.generateKeyEncryptionKey };
}

/** The 32-byte key-encryption key, from the environment or the key file (created if allowed). */
export function loadKeyEncryptionKey(source: KeyEncryptionKeySource, env: Readonly<Record<string, string | undefined>>): Uint8Array {
  const fromEnvironment = env[KEK_ENVIRONMENT_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return decodeKey(fromEnvironment, KEK_ENVIRONMENT_VARIABLE);
  if (!existsSync(source.file)) {
    if (!source.generate) {
      throw new KeyEncryptionKeyError(
        `no key-encryption key: set ${KEK_ENVIRONMENT_VARIABLE} or create ${source.file} (mode 0600) holding 32 random bytes in base64, ` +
          `e.g. \`(umask 077; head -c 32 /dev/urandom | base64 > ${source.file})\``,
      );
    }
    const key = new Uint8Array(randomBytes(32));
    mkdirSync(dirname(source.file), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key another process wrote in the meantime (its data would no longer open).
    writeFileSync(source.file, `${Buffer.from(key).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  }
  const mode = statSync(source.file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyEncryptionKeyError(`${source.file} is readable by its group or others (mode 0${mode.toString(8)}): refusing to start; chmod 600 it`);
  }
  return decodeKey(readFileSync(source.file, 'utf8'), source.file);
}

/** The store's sealer for a key-encryption key source. */
export function loadSealer(source: KeyEncryptionKeySource, env: Readonly<Record<string, string | undefined>>): AesGcmSealer {
  return new AesGcmSealer(loadKeyEncryptionKey(source, env));
}

function decodeKey(text: string, where: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (bytes === undefined || bytes.length !== 32) throw new KeyEncryptionKeyError(`${where} does not hold a 32-byte key (base64 or 64 hex digits)`);
  return new Uint8Array(bytes);
}
