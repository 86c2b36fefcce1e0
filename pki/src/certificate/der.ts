import { Asn1DecodeError, readTlv, type BitString, type Codec } from '@zkesim/protocol';
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

/**
 * Refuses bytes that are not the canonical DER of `codec`'s type (RFC 5280 §4.1 and §5.1: certificates
 * and CRLs are DER): decoded and re-encoded with the protocol layer's generated PKIX codec, they must come
 * back identical. The asn1-x509 parser used for the fields is lenient (it drops a BIT STRING's
 * unused-bits count, tolerates some length errors), so this check runs first. Signatures are still
 * verified over the received bytes, never over a re-encoding.
 */
export function assertCanonicalDer<T>(codec: Codec<T>, der: Uint8Array, what: string): T {
  let decoded: T;
  let reencoded: Uint8Array;
  try {
    decoded = codec.decode(der);
    reencoded = codec.encode(decoded);
  } catch (error) {
    throw new CertificateFormatError(`not a DER ${what}: ${(error as Error).message}`, { cause: error });
  }
  if (!bytesEqual(reencoded, der)) throw new CertificateFormatError(`${what} is not DER-encoded (its canonical re-encoding differs)`);
  return decoded;
}

/**
 * A signature or public-key BIT STRING must hold whole octets (RFC 5480 §2.2, RFC 5280 §4.1.1.3: the
 * DER of ECDSA-Sig-Value). asn1-x509 drops the unused-bits count, so a value with a non-zero count would
 * otherwise verify as if it were zero.
 */
export function assertWholeOctets(bits: BitString, what: string): void {
  if (bits.unusedBits !== 0) throw new CertificateFormatError(`${what} has ${bits.unusedBits} unused bits`);
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
