// What a ZK proof binds in a SIP request: the scope of a registration (the SIP domain and the registration
// epoch), the message of a REGISTER (Call-ID, CSeq, Contact, To) and of an INVITE (Call-ID, CSeq, From, To and
// the SDP's media keys), and the pseudonymous address a nullifier stands for. Subscriber and verifier both
// compute them here, so the two sides cannot drift apart. Pure functions: no clock, no I/O.
import { createHash } from 'node:crypto';
import { AbiCoder, keccak256 } from 'ethers';

const coder = AbiCoder.defaultAbiCoder();

/** Domain-separation tags: a registration's proof is no INVITE's and no other application's. */
const REGISTER_TAG = 'zkesim-sip-register/1';
const INVITE_TAG = 'zkesim-sip-invite/1';
const SCOPE_TAG = 'zkesim-sip-scope/1';

/** A SIP domain as our addresses use it: a lower-case host name (RFC 3261 §25.1 `hostname`), no port. */
export function sipDomain(text: string): string {
  const domain = text.trim().toLowerCase();
  if (domain.length === 0 || domain.length > 253 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new RangeError(`SIP domain "${text}" is not a host name`);
  }
  return domain;
}

/** The registration epoch at `nowMs`: epochs are `epochSeconds` long and numbered from the Unix epoch. */
export function registrationEpoch(nowMs: number, epochSeconds: number): number {
  if (!Number.isSafeInteger(epochSeconds) || epochSeconds <= 0) throw new RangeError('epochSeconds must be a positive integer');
  return Math.floor(nowMs / 1000 / epochSeconds);
}

/**
 * The Semaphore scope of (domain, epoch): the nullifier, and so the address, is stable for one identity within
 * one domain and epoch and unrelated across domains and epochs (the nullifier is Poseidon(scope, secret)).
 */
export function registrationScope(domain: string, epoch: number): bigint {
  return BigInt(keccak256(coder.encode(['string', 'string', 'uint64'], [SCOPE_TAG, sipDomain(domain), epoch])));
}

export interface RegisterBinding {
  callId: string;
  cseq: number;
  /** The Contact's URI (without display name or angle brackets) exactly as sent. */
  contact: string;
  /** The To URI: the pseudonymous address being registered. */
  to: string;
}

/**
 * A REGISTER's message: a proof answers for one request only (its Call-ID and CSeq, RFC 3261 §10.2) and for
 * one contact, so a proof taken off the wire can neither register another contact nor be sent again.
 */
export function registerMessage(binding: RegisterBinding): bigint {
  return BigInt(keccak256(coder.encode(['string', 'string', 'uint32', 'string', 'string'], [REGISTER_TAG, binding.callId, binding.cseq, binding.contact, binding.to])));
}

export interface InviteBinding {
  callId: string;
  cseq: number;
  from: string;
  to: string;
  /** The SDP's media keys (`mediaKeys`): what the callee checks the media against. */
  mediaKeys: readonly string[];
}

/** An INVITE's message: the call (Call-ID, CSeq, From, To) and the media keys its SDP offers. */
export function inviteMessage(binding: InviteBinding): bigint {
  return BigInt(
    keccak256(coder.encode(['string', 'string', 'uint32', 'string', 'string', 'string[]'], [INVITE_TAG, binding.callId, binding.cseq, binding.from, binding.to, [...binding.mediaKeys]])),
  );
}

/**
 * The media keys an SDP offers, in order: every `a=fingerprint` (RFC 8122 §5: hash function and the
 * certificate's fingerprint, the DTLS-SRTP key of RFC 5763) and every `a=crypto` (RFC 4568 §9.1, SDES keys),
 * session and media level. Fingerprints are normalised (hash name in lower case, hex in upper case) since
 * RFC 8122 makes both case-insensitive.
 */
export function mediaKeys(sdp: string): string[] {
  const keys: string[] = [];
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    const fingerprint = /^a=fingerprint:\s*(\S+)\s+([0-9A-Fa-f:]+)$/.exec(line);
    if (fingerprint !== null) keys.push(`fingerprint:${(fingerprint[1] ?? '').toLowerCase()} ${(fingerprint[2] ?? '').toUpperCase()}`);
    else if (line.startsWith('a=crypto:')) keys.push(`crypto:${line.slice('a=crypto:'.length).trim()}`);
  }
  return keys;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 §6 base32 in lower case without padding (SIP user parts are case-sensitive, RFC 3261 §19.1.4). */
function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The pseudonymous address of `nullifier` in `domain`: `zk-<base32(SHA-256(domain ‖ 0 ‖ nullifier))[0..32]>@domain`
 * (160 bits). Derived, not stored: anyone holding a proof can recompute it, nobody can go back to the identity.
 */
export function pseudonymousAddress(domain: string, nullifier: bigint | string): string {
  const host = sipDomain(domain);
  const digest = createHash('sha256').update(host).update(Uint8Array.of(0)).update(BigInt(nullifier).toString(16).padStart(64, '0'), 'hex').digest();
  return `zk-${base32(digest).slice(0, 32)}@${host}`;
}
