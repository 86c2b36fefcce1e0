// How a Bound Profile Package reaches the eUICC (ES10b.LoadBoundProfilePackage, SGP.22 v2.2.2 §5.7.6, with
// the segmentation of §2.5.5): the LPA cuts it into pieces and sends each piece as its own STORE DATA
// sequence (storeData.ts), in this order:
//   1. the BF36 tag and length of the whole BPP, followed by the complete BF23 TLV (InitialiseSecureChannel)
//   2. the complete A0 TLV (firstSequenceOf87: ConfigureISDP)
//   3. the A1 tag and length, then each 88 TLV (sequenceOf88: StoreMetadata)
//   4. the complete A2 TLV, when present (secondSequenceOf87: ReplaceSessionKeys)
//   5. the A3 tag and length, then each 86 TLV (sequenceOf86: the profile elements)
import { BoundProfilePackage } from '../asn1/generated/index.js';
import { encodeTlvHeader, readTlv, splitTlvs } from '../asn1/runtime/tlv.js';
import { concatBytes } from '../bytes.js';

/** The BPP fields sent whole, as one piece each. */
const SENT_WHOLE = new Set([0xa0, 0xa2]);
/** The BPP fields sent as their tag and length, then one piece per segment TLV. */
const SENT_BY_SEGMENT = new Set([0xa1, 0xa3]);

/**
 * The pieces of `boundProfilePackage`, each one STORE DATA sequence. The BPP is decoded first, so a
 * malformed one throws Asn1DecodeError before anything is cut. Elements a later version may add after the
 * extension point belong to no piece of §2.5.5 and are not sent.
 */
export function bppPieces(boundProfilePackage: Uint8Array): Uint8Array[] {
  BoundProfilePackage.decode(boundProfilePackage);
  const outer = readTlv(boundProfilePackage);
  const [initialiseSecureChannel, ...fields] = splitTlvs(outer.value);
  if (initialiseSecureChannel === undefined) throw new Error('unreachable: a decoded BoundProfilePackage has an InitialiseSecureChannelRequest');
  const pieces: Uint8Array[] = [concatBytes([encodeTlvHeader(outer.tag, outer.length), initialiseSecureChannel.tlv])];
  for (const field of fields) {
    if (SENT_WHOLE.has(field.tag)) {
      pieces.push(field.tlv);
    } else if (SENT_BY_SEGMENT.has(field.tag)) {
      pieces.push(encodeTlvHeader(field.tag, field.length));
      for (const segment of splitTlvs(field.value)) pieces.push(segment.tlv);
    }
  }
  return pieces;
}
