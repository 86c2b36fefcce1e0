// The ZK verifier's decisions for the SIP server, sans I/O: Kamailio asks before it saves a registration
// (`register`) and before it routes a call (`invite`); a callee asks whether an offer's media keys are the
// caller's (`mediaCheck`). Each answer is the SIP status Kamailio gives the request (RFC 3261 §21) and either the
// pseudonymous address or the reason phrase. The SNARK check, the group roots and the clock are injected.
import type { SemaphoreProof } from '@zkesim/contracts';
import type { Clock } from '@zkesim/protocol';
import { inviteMessage, mediaKeys, pseudonymousAddress, registerMessage, registrationEpoch, registrationScope, sipDomain } from './binding.js';
import { RateLimit, ReplayCache } from './limits.js';
import { decodeProofHeader } from './proofHeader.js';
import type { GroupRootPolicy } from './rootPolicy.js';

export interface SipVerifierOptions {
  domain: string;
  /** Length of a registration epoch: one address per subscriber, domain and epoch. */
  epochSeconds: number;
  /** Calls one address may start per `callWindowMs`. */
  callsPerWindow: number;
  callWindowMs: number;
  /** Bound on the replay cache; when full of unexpired uses, new requests are refused (503). */
  maxReplayEntries: number;
}

export interface SipVerifierDeps {
  clock: Clock;
  roots: GroupRootPolicy;
  /** The Groth16 check of a Semaphore proof (contracts' verifyIdentityProof). */
  verifySnark: (proof: SemaphoreProof) => Promise<boolean>;
}

/** The SIP facts of a REGISTER, as Kamailio read them, and its X-ZK-Proof header (absent: undefined). */
export interface RegisterFacts {
  proof: string | undefined;
  callId: string;
  cseq: string;
  /** Contact URI. */
  contact: string;
  /** To URI. */
  to: string;
}

/** The SIP facts of an INVITE (or of an offer a callee received) and its X-ZK-Proof header. */
export interface InviteFacts {
  proof: string | undefined;
  callId: string;
  cseq: string;
  /** From URI and To URI. */
  from: string;
  to: string;
  /** The message body (the SDP offer). */
  sdp: string;
}

export type SipVerdict = { status: 200; address: string } | { status: 400 | 401 | 403 | 503; reason: string };

const refuse = (status: 400 | 401 | 403 | 503, reason: string): SipVerdict => ({ status, reason });

export class SipVerifier {
  readonly domain: string;
  private readonly replays: ReplayCache;
  private readonly calls: RateLimit;

  constructor(
    private readonly options: SipVerifierOptions,
    private readonly deps: SipVerifierDeps,
  ) {
    this.domain = sipDomain(options.domain);
    this.replays = new ReplayCache(deps.clock, options.maxReplayEntries);
    this.calls = new RateLimit(deps.clock, options.callsPerWindow, options.callWindowMs);
  }

  /** The current epoch and the scope a proof must name in it. */
  currentScope(): { epoch: number; scope: bigint; endsAtMs: number } {
    const epoch = registrationEpoch(this.deps.clock.now(), this.options.epochSeconds);
    return { epoch, scope: registrationScope(this.domain, epoch), endsAtMs: (epoch + 1) * this.options.epochSeconds * 1000 };
  }

  /** A REGISTER: a member's proof for this domain and epoch, bound to this request, for the address in To. */
  async register(facts: RegisterFacts): Promise<SipVerdict> {
    const cseq = cseqNumber(facts.cseq);
    if (cseq === undefined) return refuse(400, 'Bad CSeq');
    const message = registerMessage({ callId: facts.callId, cseq, contact: facts.contact, to: facts.to });
    const checked = await this.checkProof(facts.proof, message);
    if ('status' in checked) return checked;
    if (facts.to !== `sip:${checked.address}`) return refuse(403, 'To is not the address of this proof');
    return this.use(checked.proof, checked.address);
  }

  /**
   * An INVITE: the caller's proof for this domain and epoch (its nullifier is its registration's, so the From
   * address is the prover's own), bound to this call and to the SDP's media keys; at most callsPerWindow calls.
   */
  async invite(facts: InviteFacts): Promise<SipVerdict> {
    const checked = await this.checkOffer(facts);
    if ('status' in checked) return checked;
    const used = this.use(checked.proof, checked.address);
    if (used.status !== 200) return used;
    if (!this.calls.take(checked.proof.nullifier)) return refuse(403, 'Call rate exceeded');
    return used;
  }

  /** The callee's check: the offer's media keys are those the caller's proof commits to (no use recorded). */
  async mediaCheck(facts: InviteFacts): Promise<SipVerdict> {
    const checked = await this.checkOffer(facts);
    return 'status' in checked ? checked : { status: 200, address: checked.address };
  }

  private async checkOffer(facts: InviteFacts): Promise<{ proof: SemaphoreProof; address: string } | SipVerdict> {
    const cseq = cseqNumber(facts.cseq);
    if (cseq === undefined) return refuse(400, 'Bad CSeq');
    const keys = mediaKeys(facts.sdp);
    if (keys.length === 0) return refuse(403, 'No media keys in the offer');
    const checked = await this.checkProof(facts.proof, inviteMessage({ callId: facts.callId, cseq, from: facts.from, to: facts.to, mediaKeys: keys }));
    if ('status' in checked) return checked;
    if (facts.from !== `sip:${checked.address}`) return refuse(403, 'From is not the address of this proof');
    return checked;
  }

  /** Format, scope, binding, SNARK and group root, cheapest first; the address the proof's nullifier gives. */
  private async checkProof(header: string | undefined, message: bigint): Promise<{ proof: SemaphoreProof; address: string } | SipVerdict> {
    if (header === undefined || header.trim() === '') return refuse(401, 'ZK proof required');
    let proof: SemaphoreProof;
    try {
      proof = decodeProofHeader(header);
    } catch {
      return refuse(400, 'Malformed ZK proof');
    }
    const { epoch, scope } = this.currentScope();
    if (BigInt(proof.scope) !== scope) {
      const stale = BigInt(proof.scope) === registrationScope(this.domain, epoch - 1);
      return refuse(403, stale ? 'Stale ZK proof (past epoch)' : 'ZK proof for another domain or epoch');
    }
    if (BigInt(proof.message) !== message) return refuse(403, 'ZK proof does not bind this request');
    if (!(await this.deps.verifySnark(proof))) return refuse(403, 'Invalid ZK proof');
    const root = await this.deps.roots.check(BigInt(proof.merkleTreeRoot));
    if (!root.accepted) return refuse(403, `Not a subscriber: ${root.reason}`);
    return { proof, address: pseudonymousAddress(this.domain, proof.nullifier) };
  }

  private use(proof: SemaphoreProof, address: string): SipVerdict {
    const used = this.replays.use(proof.nullifier, proof.message, this.currentScope().endsAtMs);
    if (used === 'replayed') return refuse(403, 'Replayed ZK proof');
    if (used === 'full') return refuse(503, 'Verifier replay cache full');
    return { status: 200, address };
  }
}

/** A CSeq header's sequence number (RFC 3261 §20.16: 32-bit unsigned); undefined when it is not one. */
function cseqNumber(text: string): number | undefined {
  const digits = /^\s*(\d{1,10})/.exec(text)?.[1];
  const value = digits === undefined ? NaN : Number(digits);
  return Number.isSafeInteger(value) && value < 2 ** 31 ? value : undefined;
}
