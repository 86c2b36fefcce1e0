// The X-ZK-Proof SIP header: a Semaphore proof's JSON (what contracts' generateIdentityProof returns) as base64url
// (RFC 4648 §5), so it is one token of the header grammar (RFC 3261 §25.1) whatever the JSON holds.
import { parseSemaphoreProof, type SemaphoreProof } from '@zkesim/contracts';

export const PROOF_HEADER = 'X-ZK-Proof';

/** A proof is under 1.5 kB of JSON; anything much longer is not one. */
const MAX_HEADER_LENGTH = 4096;

export function encodeProofHeader(proof: SemaphoreProof): string {
  return Buffer.from(JSON.stringify(proof), 'utf8').toString('base64url');
}

/** The proof in a header value; throws a RangeError saying what is wrong. */
export function decodeProofHeader(value: string): SemaphoreProof {
  const text = value.trim();
  if (text.length > MAX_HEADER_LENGTH) throw new RangeError(`${PROOF_HEADER}: longer than ${MAX_HEADER_LENGTH} characters`);
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new RangeError(`${PROOF_HEADER}: not base64url`);
  try {
    return parseSemaphoreProof(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RangeError(`${PROOF_HEADER}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
