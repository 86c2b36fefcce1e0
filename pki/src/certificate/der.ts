import { Asn1DecodeError, CertificateSerialNumber, bytesEqual, readTlv, type BitString, type Codec, type Time } from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';

/**
 * The length of the first TLV of `bytes` (protocol's DER reader). Used to name trailing bytes after a
 * certificate or CRL (e.g. two PEM blocks concatenated as DER) before the full decode.
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
 * back identical (a BER-only form such as a non-minimal length or a DEFAULT value encoded is refused).
 * Signatures are still verified over the received bytes, never over a re-encoding.
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
 * DER of ECDSA-Sig-Value); its octets are used as they are, so a non-zero unused-bits count is refused.
 */
export function assertWholeOctets(bits: BitString, what: string): void {
  if (bits.unusedBits !== 0) throw new CertificateFormatError(`${what} has ${bits.unusedBits} unused bits`);
}

/**
 * The INTEGER contents octets of a serial number (two's complement, minimal), as received: the
 * certificate or CRL is canonical DER (`assertCanonicalDer`), so re-encoding the decoded value yields
 * exactly the received contents.
 */
export function serialNumberBytes(serialNumber: bigint): Uint8Array {
  return readTlv(CertificateSerialNumber.encode(serialNumber)).value;
}

/**
 * A certificate or CRL Time as a Date (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ (YY < 50 is 20YY) or
 * GeneralizedTime YYYYMMDDHHMMSSZ, both in UTC with seconds and without fractions, as DER requires.
 */
export function dateOfTime(time: Time, what: string): Date {
  const utc = 'utcTime' in time;
  const text = utc ? time.utcTime : time.generalTime;
  const match = (utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/).exec(text);
  if (match === null) throw new CertificateFormatError(`${what} ${text} is not a DER ${utc ? 'UTCTime' : 'GeneralizedTime'} (RFC 5280 §4.1.2.5)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const fullYear = utc ? (year < 50 ? 2000 + year : 1900 + year) : year;
  const date = new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second));
  // Date.UTC rolls over out-of-range fields (month 13, day 32, second 60); a valid time reads back the same.
  const valid = date.getUTCFullYear() === fullYear && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  if (!valid) throw new CertificateFormatError(`${what} ${text} is not a valid date`);
  return date;
}

