// BSP session key derivation (SGP.22 v2.2.2 §2.6.4.2 / Annex G): ANSI X9.63 KDF with
// SHA-256 over the ECKA shared secret ShS and SharedInfo taken from the BF23 control reference template.
import { createHash } from 'node:crypto';
import { CryptoInputError, assertBytes } from '../errors.js';

/** Key type `88` (AES) and key length `10` (16 bytes) of the CRT in InitialiseSecureChannelRequest. */
export const bspKeyType = 0x88;
export const bspKeyLength = 16;

/** The three values the KDF yields: initial MAC chaining value, S-ENC and S-MAC (16 bytes each). */
export interface BspKeys {
  readonly initialMcv: Uint8Array;
  readonly sEnc: Uint8Array;
  readonly sMac: Uint8Array;
}

export interface BspKdfInput {
  /** ShS: X coordinate of the ECKA-DH result (32 bytes). */
  sharedSecret: Uint8Array;
  /** hostId of the CRT (`84`), 1..16 bytes chosen by the SM-DP+. */
  hostId: Uint8Array;
  /** EID, 16 binary bytes (not ASCII digits). */
  eid: Uint8Array;
}

/** SharedInfo = keyType ‖ keyLength ‖ len(hostId) ‖ hostId ‖ len(EID) ‖ EID. */
export function bspSharedInfo(hostId: Uint8Array, eid: Uint8Array): Uint8Array {
  assertBytes(hostId, 'hostId');
  assertBytes(eid, 'eid', 16);
  if (hostId.length < 1 || hostId.length > 16) {
    throw new CryptoInputError(`hostId: expected 1 to 16 bytes, got ${hostId.length}`);
  }
  return Uint8Array.from([bspKeyType, bspKeyLength, hostId.length, ...hostId, eid.length, ...eid]);
}

/** ANSI X9.63 KDF with SHA-256: SHA256(Z ‖ counter32 ‖ SharedInfo) for counter = 1, 2, ... */
export function x963Kdf(sharedSecret: Uint8Array, sharedInfo: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / 32) * 32);
  for (let block = 0; block * 32 < length; block += 1) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(block + 1);
    out.set(createHash('sha256').update(sharedSecret).update(counter).update(sharedInfo).digest(), block * 32);
  }
  return out.slice(0, length);
}

/** Derives MCV0 (bytes 0–15), S-ENC (16–31) and S-MAC (32–47). */
export function deriveBspKeys(input: BspKdfInput): BspKeys {
  assertBytes(input.sharedSecret, 'sharedSecret', 32);
  const output = x963Kdf(input.sharedSecret, bspSharedInfo(input.hostId, input.eid), 48);
  return { initialMcv: output.slice(0, 16), sEnc: output.slice(16, 32), sMac: output.slice(32, 48) };
}
