// The eUICC public key of the PostgreSQL download sessions this process wrote or read. A session row keeps the
// key as its SubjectPublicKeyInfo DER (hex); without this each call of a download exported it again (every
// `advance` writes the whole session) and imported it again (every `forCall`), each through OpenSSL 3.0's
// encoders or decoders. An optimisation only: the row stays the truth, another process simply imports it, and
// a key is taken from here only for the same session and the very same SPKI bytes as its row holds.
import type { KeyObject } from 'node:crypto';
import { trimOldest } from '@zkesim/rsp-server';

interface Entry {
  readonly spki: string;
  readonly key: KeyObject;
}

export class SessionKeys {
  readonly #entries = new Map<string, Entry>();

  /** Bounded; the oldest session out first (sessions live minutes, a process holds at most its open ones). */
  constructor(private readonly maxEntries = 4096) {}

  /** The SPKI (hex) of the session's key: the remembered one when it is this very KeyObject, else `exportKey`'s. */
  spkiOf(transactionKey: string, key: KeyObject, exportKey: (key: KeyObject) => string): string {
    const entry = this.#entries.get(transactionKey);
    if (entry?.key === key) return entry.spki;
    const spki = exportKey(key);
    this.#remember(transactionKey, { spki, key });
    return spki;
  }

  /** The KeyObject of the SPKI (hex) in the session's row: the remembered one when the SPKI is the same, else `importKey`'s. */
  keyOf(transactionKey: string, spki: string, importKey: (spki: string) => KeyObject): KeyObject {
    const entry = this.#entries.get(transactionKey);
    if (entry?.spki === spki) return entry.key;
    const key = importKey(spki);
    this.#remember(transactionKey, { spki, key });
    return key;
  }

  forget(transactionKey: string): void {
    this.#entries.delete(transactionKey);
  }

  get size(): number {
    return this.#entries.size;
  }

  #remember(transactionKey: string, entry: Entry): void {
    this.#entries.delete(transactionKey);
    this.#entries.set(transactionKey, entry);
    trimOldest(this.#entries, this.maxEntries);
  }
}
