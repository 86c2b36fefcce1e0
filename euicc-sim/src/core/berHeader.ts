// Tag and length of a BER-TLV whose value may not have arrived yet. The LPA sends some BPP pieces as a bare
// tag + length (SGP.22 §5.7.6: 'BF36' header before BF23, 'A1' and 'A3' headers before their segments), which
// a whole-TLV reader cannot take, so the ES10 dispatcher and the BPP loader read headers with this.

export interface TlvHeader {
  readonly tag: number;
  readonly headerLength: number;
  readonly length: number;
}

export class TlvHeaderError extends Error {
  override readonly name = 'TlvHeaderError';
  constructor(
    message: string,
    /** True when only more bytes are missing (the header may still complete). */
    readonly truncated = false,
  ) {
    super(message);
  }
}

/** Reads the tag (up to three bytes) and definite length (up to four bytes) at `offset` (ISO/IEC 8825-1 §8.1). */
export function readTlvHeader(bytes: Uint8Array, offset = 0): TlvHeader {
  let position = offset;
  const first = byteAt(bytes, position++);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    for (let count = 0; ; count++) {
      if (count === 2) throw new TlvHeaderError('tag longer than three bytes');
      const next = byteAt(bytes, position++);
      tag = tag * 256 + next;
      if ((next & 0x80) === 0) break;
    }
  }
  const lengthByte = byteAt(bytes, position++);
  let length = lengthByte;
  if (lengthByte === 0x80) throw new TlvHeaderError('indefinite length is not DER');
  if (lengthByte > 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 3) throw new TlvHeaderError('length field longer than three bytes');
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + byteAt(bytes, position++);
  }
  return { tag, headerLength: position - offset, length };
}

function byteAt(bytes: Uint8Array, position: number): number {
  const value = bytes[position];
  if (value === undefined) throw new TlvHeaderError('TLV header is truncated', true);
  return value;
}
