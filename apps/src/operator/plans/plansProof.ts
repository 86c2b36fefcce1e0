// What a subscriber proves to read their active plan (plansApi.ts): a Semaphore proof over the group of their
// own identity commitment, whose scope is derived from a one-time challenge of the plans API and whose message
// names the ICCID. Both sides (the API and the LUI) derive them here.
import { createHash } from 'node:crypto';

const DOMAIN = 'zkesim-plans/v1';

/** 31 bytes of SHA-256 over the domain, a label and the value: below the SNARK field, as 0x hex. */
function derive(label: string, value: string): string {
  return `0x${createHash('sha256').update(`${DOMAIN}\u0000${label}\u0000${value}`).digest('hex').slice(0, 62)}`;
}

/** The proof's scope for a challenge: one nullifier per challenge, so two readings are not linked by it. */
export function plansProofScope(challenge: string): string {
  return derive('scope', challenge);
}

/** The proof's message: the subscription it asks about. */
export function plansProofMessage(iccid: string): string {
  return derive('iccid', iccid);
}
