// Encryption at rest of the per-profile secrets the store keeps (Ki, OPc, the digest of the confirmation
// code). The store seals a value before it writes it and opens it when it reads it; the core never sees
// the sealed form. An implementation binds every ciphertext to the row and column it belongs to (the
// associated data), so a ciphertext copied into another row or column does not open.
//
// The interface is asynchronous so that a KMS or an HSM can implement it (unwrapping a data key, or
// sealing remotely); the one shipped today is AES-256-GCM under a key-encryption key from a file or the
// environment (adapters/secrets/).

export interface SecretSealer {
  /** Encrypts and authenticates `plaintext`, bound to `associatedData` (see `sealedColumn`). */
  seal(plaintext: Uint8Array, associatedData: string): Promise<Uint8Array>;
  /** The plaintext of `sealed`; throws SealedValueError if it was not sealed by this key for `associatedData`. */
  open(sealed: Uint8Array, associatedData: string): Promise<Uint8Array>;
}

/** A sealed value that does not open: another key, another row or column, or altered bytes. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
  constructor(readonly associatedData: string) {
    super(`the sealed value of ${associatedData} does not open with this key-encryption key (another key, or altered data)`);
  }
}

/** The associated data of a sealed column value: table, column and the row's key (`profiles.ki#8949…`). */
export function sealedColumn(table: string, column: string, rowKey: string | number): string {
  return `${table}.${column}#${rowKey}`;
}
