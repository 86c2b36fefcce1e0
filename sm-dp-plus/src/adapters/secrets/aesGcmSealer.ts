// The SecretSealer of node:crypto: AES-256-GCM (NIST SP 800-38D) under a 32-byte key-encryption key.
// Sealed form: version (1 byte, 0x01) ‖ nonce (12 bytes, random) ‖ ciphertext ‖ tag (16 bytes). A random
// 96-bit nonce per value is safe for far more values than a store holds (SP 800-38D §8.3 bounds a key to
// 2^32 random-nonce encryptions; an inventory of millions of profiles is three orders of magnitude below).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { systemRandom } from '@zkesim/rsp-server';
import { SealedValueError, type SecretSealer } from '../../core/secretSealer.js';

const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Bytes a sealed value adds to its plaintext. */
export const SEALING_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

export class AesGcmSealer implements SecretSealer {
  private readonly key: Buffer;

  constructor(keyEncryptionKey: Uint8Array) {
    if (keyEncryptionKey.length !== 32) throw new Error(`the key-encryption key must be 32 bytes (AES-256), not ${keyEncryptionKey.length}`);
    this.key = Buffer.from(keyEncryptionKey);
  }

  async seal(plaintext: Uint8Array, associatedData: string): Promise<Uint8Array> {
    return this.sealSync(plaintext, associatedData);
  }

  async open(sealed: Uint8Array, associatedData: string): Promise<Uint8Array> {
    return this.openSync(sealed, associatedData);
  }

  sealSync(plaintext: Uint8Array, associatedData: string): Uint8Array {
    // OpenSSL's CSPRNG through the process's pool (rsp-server's systemRandom): one crypto job per 4 KiB, not per nonce.
    const nonce = systemRandom.bytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]));
  }

  openSync(sealed: Uint8Array, associatedData: string): Uint8Array {
    if (sealed.length < SEALING_OVERHEAD_BYTES || sealed[0] !== VERSION) throw new SealedValueError(associatedData);
    const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]));
    } catch {
      throw new SealedValueError(associatedData);
    }
  }
}
