// Cutting a Bound Profile Package into the pieces the eUICC loads one STORE DATA sequence at a time
// (SGP.22 v2.2.2 §2.5.5 and §5.7.6):
//   1. BF36 tag + length of the whole BPP, followed by the complete BF23 TLV
//   2. the complete A0 TLV (firstSequenceOf87)    3. A1 tag + length, then each 88 TLV
//   4. the complete A2 TLV, when present          5. A3 tag + length, then each 86 TLV
import { Asn1DecodeError, BoundProfilePackage, encodeTlvHeader, readTlv, splitTlvs } from '@zkesim/protocol';
import { CardResponseInvalid } from '../errors.js';

const WHOLE = new Set([0xa0, 0xa2]);
const HEADER_THEN_SEGMENTS = new Set([0xa1, 0xa3]);

export function bppPieces(boundProfilePackage: Uint8Array): Uint8Array[] {
  try {
    // Structural check first: a BPP that does not decode is refused before anything reaches the card.
    BoundProfilePackage.decode(boundProfilePackage);
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new CardResponseInvalid('GetBoundProfilePackage (BPP structure)', error);
    throw error;
  }
  const outer = readTlv(boundProfilePackage);
  const [bf23, ...rest] = splitTlvs(outer.value);
  if (bf23 === undefined) throw new CardResponseInvalid('GetBoundProfilePackage', new Error('empty BPP'));
  const pieces: Uint8Array[] = [Uint8Array.from([...encodeTlvHeader(0xbf36, outer.length), ...bf23.tlv])];
  for (const child of rest) {
    if (WHOLE.has(child.tag)) {
      pieces.push(child.tlv);
    } else if (HEADER_THEN_SEGMENTS.has(child.tag)) {
      pieces.push(encodeTlvHeader(child.tag, child.length));
      for (const segment of splitTlvs(child.value)) pieces.push(segment.tlv);
    }
  }
  return pieces;
}
