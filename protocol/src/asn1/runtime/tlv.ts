// Public TLV helpers for the places SGP.22 works on raw data objects rather than whole ASN.1 values:
// the BPP split into STORE DATA sequences (§2.5.5), `5F37`/`5F49` DOs, the BSP segments.
import { concatBytes } from '../../bytes.js';
import { encodeLength, identifierBytes, readHeader } from './der.js';
import { Asn1DecodeError } from './errors.js';

export { encodeLength } from './der.js';

export interface Tlv {
  /** Identifier octets as one number: 0xBF36, 0x5F37, 0x86. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly headerLength: number;
  readonly length: number;
  readonly valueOffset: number;
  readonly end: number;
  readonly value: Uint8Array;
  /** The whole TLV (header and value). */
  readonly tlv: Uint8Array;
}

/** Reads the TLV at `offset`; throws Asn1DecodeError when it is malformed or runs past the end. */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  const header = readHeader(bytes, offset, bytes.length);
  return {
    tag: header.tag,
    constructed: header.constructed,
    headerLength: header.headerLength,
    length: header.length,
    valueOffset: header.valueOffset,
    end: header.end,
    value: bytes.subarray(header.valueOffset, header.end),
    tlv: bytes.subarray(offset, header.end),
  };
}

/** Encodes a TLV from its identifier (as one number, e.g. 0x5F37) and value. */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes([identifierBytes(tag), encodeLength(value.length), value]);
}

/** The identifier and length octets only, for a value of `length` bytes. */
export function encodeTlvHeader(tag: number, length: number): Uint8Array {
  return concatBytes([identifierBytes(tag), encodeLength(length)]);
}

/** Splits a concatenation of TLVs (a SAIP UPP, a constructed value's content). */
export function splitTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const tlv = readTlv(bytes, offset);
    if (tlv.end <= offset) throw new Asn1DecodeError('TLV', offset, 'invalid-value', 'empty TLV');
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}
