// The LPA's cutting of a Bound Profile Package into STORE DATA sequences (SGP.22 §2.5.5, §5.7.6).
import { describe, expect, it } from 'vitest';
import { Asn1DecodeError } from '../asn1/runtime/errors.js';
import { BoundProfilePackage } from '../asn1/generated/index.js';
import { concatBytes, toHex } from '../bytes.js';
import { bppPieces } from './bppPieces.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);
/** The tag a piece starts with, in hex (BF36 is the only two-byte tag among them). */
const tagOf = (piece: Uint8Array): string => toHex(piece.subarray(0, piece[0] === 0xbf ? 2 : 1), 'upper');

function bpp(withSecondSequenceOf87: boolean): Uint8Array {
  return BoundProfilePackage.encode({
    initialiseSecureChannelRequest: {
      remoteOpId: 1,
      transactionId: bytes(16, 0x11),
      controlRefTemplate: { keyType: Uint8Array.of(0x88), keyLen: Uint8Array.of(0x10), hostId: bytes(8, 0x80) },
      smdpOtpk: bytes(65, 0x04),
      smdpSign: bytes(64, 0x5f),
    },
    firstSequenceOf87: [bytes(24, 0x87)],
    sequenceOf88: [bytes(56, 0x88), bytes(8, 0x88)],
    ...(withSecondSequenceOf87 ? { secondSequenceOf87: [bytes(72, 0x87)] } : {}),
    sequenceOf86: [bytes(1016, 0x86), bytes(200, 0x86), bytes(24, 0x86)],
  });
}

describe('bppPieces', () => {
  it('sends BF36 header + BF23, A0 whole, A1 header then each 88, A2 whole, A3 header then each 86', () => {
    const der = bpp(true);
    const pieces = bppPieces(der);
    expect(pieces.map(tagOf)).toEqual(['BF36', 'A0', 'A1', '88', '88', 'A2', 'A3', '86', '86', '86']);
    // The first piece carries the length of the whole BPP (BF36 82 LLLL: the BPP is over 255 bytes).
    const bppLength = (der.length - 5).toString(16).padStart(4, '0').toUpperCase();
    expect(toHex(pieces[0]?.subarray(0, 7) ?? new Uint8Array(), 'upper')).toBe(`BF3682${bppLength}BF23`);
    expect(pieces[2]).toHaveLength(2);
    expect(pieces[6]).toHaveLength(4);
    // Nothing is lost or added: the pieces in order are the BPP.
    expect(concatBytes(pieces)).toEqual(der);
  });

  it('leaves out the A2 piece when there is no secondSequenceOf87', () => {
    const pieces = bppPieces(bpp(false));
    expect(pieces.map(tagOf)).toEqual(['BF36', 'A0', 'A1', '88', '88', 'A3', '86', '86', '86']);
  });

  it('refuses what is not a BoundProfilePackage with Asn1DecodeError', () => {
    expect(() => bppPieces(Uint8Array.of(0xbf, 0x36, 0x03, 0xbf, 0x23, 0x00))).toThrow(Asn1DecodeError);
    expect(() => bppPieces(bpp(false).subarray(0, 100))).toThrow(Asn1DecodeError);
  });
});
