// The subscriber's side of the SIP binding: the proofs a REGISTER and an INVITE carry, made with the identity
// from the eUICC over the subscriber group read from the chain. The address is known before the proof is made:
// it is derived from the nullifier, which the identity's holder computes itself (contracts' identityNullifier).
import { randomUUID } from 'node:crypto';
import { generateIdentityProof, identityNullifier, type Group, type Identity, type SemaphoreProof } from '@zkesim/contracts';
import { inviteMessage, mediaKeys, pseudonymousAddress, registerMessage, registrationEpoch, registrationScope } from '../core/binding.js';
import { encodeProofHeader } from '../core/proofHeader.js';

/** The domain's epoch length and the time, as the verifier will see them. */
export interface SipEpoch {
  domain: string;
  epochSeconds: number;
  nowMs: number;
}

/** The subscriber's address in `domain` for the epoch of `nowMs` (no proof needed). */
export function ownSipAddress(identity: Identity, epoch: SipEpoch): string {
  const scope = registrationScope(epoch.domain, registrationEpoch(epoch.nowMs, epoch.epochSeconds));
  return pseudonymousAddress(epoch.domain, identityNullifier(identity, scope));
}

export interface PreparedRequest {
  address: string;
  callId: string;
  proof: SemaphoreProof;
  /** The X-ZK-Proof header line. */
  header: string;
}

/** A fresh Call-ID (RFC 3261 §8.1.1.4: globally unique) on the domain. */
export function newCallId(domain: string): string {
  return `${randomUUID()}@${domain}`;
}

/** The proof for one REGISTER of `contact` (its URI) under the subscriber's address. */
export async function prepareRegister(identity: Identity, group: Group, epoch: SipEpoch, contact: string, callId = newCallId(epoch.domain)): Promise<PreparedRequest> {
  const address = ownSipAddress(identity, epoch);
  const scope = registrationScope(epoch.domain, registrationEpoch(epoch.nowMs, epoch.epochSeconds));
  const proof = await generateIdentityProof(identity, group, scope, registerMessage({ callId, cseq: 1, contact, to: `sip:${address}` }));
  return { address, callId, proof, header: `X-ZK-Proof: ${encodeProofHeader(proof)}` };
}

/** The proof for one INVITE from the subscriber's address to `callee`, committing to the SDP's `sdpMediaLines`. */
export async function prepareInvite(identity: Identity, group: Group, epoch: SipEpoch, callee: string, sdpMediaLines: string, callId = newCallId(epoch.domain)): Promise<PreparedRequest> {
  const address = ownSipAddress(identity, epoch);
  const keys = mediaKeys(sdpMediaLines);
  if (keys.length === 0) throw new RangeError('the offer has no a=fingerprint or a=crypto line to bind');
  const scope = registrationScope(epoch.domain, registrationEpoch(epoch.nowMs, epoch.epochSeconds));
  const proof = await generateIdentityProof(identity, group, scope, inviteMessage({ callId, cseq: 1, from: `sip:${address}`, to: `sip:${callee}`, mediaKeys: keys }));
  return { address, callId, proof, header: `X-ZK-Proof: ${encodeProofHeader(proof)}` };
}
