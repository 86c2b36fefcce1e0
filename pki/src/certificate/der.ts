import { Asn1DecodeError, readTlv } from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';

/**
 * The length of the first TLV of `bytes` (protocol's DER reader). Used to refuse trailing bytes after a
 * certificate or CRL, which the schema parser would silently ignore.
 */
export function firstTlvLength(bytes: Uint8Array): number {
  try {
    return readTlv(bytes).end;
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new CertificateFormatError(`not a DER TLV: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A copy of `buffer` as Uint8Array (the asn1 library hands out ArrayBuffers). */
export function bytesOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer.slice(0));
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
