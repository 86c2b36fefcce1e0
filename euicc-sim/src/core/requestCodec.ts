// Decoding of ES10 requests: a request that is not valid DER for its type is refused at the APDU level with
// 6A80 (wrong data).
// SPEC-AMBIGUITY: SGP.22 §5.7 defines no ASN.1 error result for unparsable input and leaves the status word
// open; 6A80 is ISO 7816-4's "incorrect parameters in the command data field".
import { ApduError, Asn1DecodeError, StatusWord, type Codec } from '@zkesim/protocol';

/** Longest accepted ES10 request; matches the STORE DATA reassembly limit. */
const MAX_REQUEST_LENGTH = 64 * 1024;
/** SGP.22 structures nest a few levels; certificates and CRLs add about ten. */
const MAX_REQUEST_DEPTH = 32;

export function decodeRequest<T>(codec: Codec<T>, bytes: Uint8Array): T {
  try {
    return codec.decode(bytes, { maxLength: MAX_REQUEST_LENGTH, maxDepth: MAX_REQUEST_DEPTH });
  } catch (error) {
    if (error instanceof Asn1DecodeError) {
      throw new ApduError(StatusWord.wrongData, `malformed ${codec.typeName}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
