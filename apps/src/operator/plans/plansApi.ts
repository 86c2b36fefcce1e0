// The operator's plans API (served over HTTPS by plansServer.ts), request by request:
//   GET  /plans/v1/offers     the catalogue; public, no identifiers asked
//   POST /plans/v1/challenge  a one-time challenge (random 128 bits, valid CHALLENGE_TTL_MS, used once)
//   POST /plans/v1/active     { iccid, proof }: the subscription's active plan, for the holder of its identity
// The proof (plansProof.ts) is a Semaphore proof whose root is the subscription's commitment (the group of one,
// as `lpa identity prove --group self` makes it), with scope from the challenge and message from the ICCID. The
// operator learns nothing it did not know: it holds ICCID ↔ commitment from the onboarding answer anyway. An ICCID
// alone (printed on cards, seen by every SM-DP+ and network) reads nothing.
import type { SemaphoreProof } from '@zkesim/contracts';
import type { PlansStore } from './plansStore.js';
import { plansProofMessage, plansProofScope } from './plansProof.js';

export const PLANS_PATHS = { offers: '/plans/v1/offers', challenge: '/plans/v1/challenge', active: '/plans/v1/active' } as const;
export const CHALLENGE_TTL_MS = 120_000;
/** Outstanding challenges kept at most; older ones are dropped first (a flood cannot grow memory). */
const MAX_CHALLENGES = 10_000;

export interface PlansApiDeps {
  readonly store: PlansStore;
  readonly now: () => number;
  readonly randomHex: (bytes: number) => string;
  readonly parseProof: (json: unknown) => SemaphoreProof;
  readonly verifyProof: (proof: SemaphoreProof) => Promise<boolean>;
}

export interface PlansAnswer {
  readonly status: number;
  readonly body: unknown;
}

const refused = (status: number, message: string): PlansAnswer => ({ status, body: { error: { message } } });

export function createPlansApi(deps: PlansApiDeps) {
  const challenges = new Map<string, number>();

  function takeChallenge(scope: bigint): boolean {
    const now = deps.now();
    for (const [challenge, expires] of challenges) {
      if (expires < now) {
        challenges.delete(challenge);
        continue;
      }
      if (BigInt(plansProofScope(challenge)) === scope) {
        challenges.delete(challenge);
        return true;
      }
    }
    return false;
  }

  async function active(body: unknown): Promise<PlansAnswer> {
    const request = body as { iccid?: unknown; proof?: unknown } | null;
    if (request === null || typeof request !== 'object' || typeof request.iccid !== 'string' || !/^\d{18,20}F?$/.test(request.iccid)) {
      return refused(400, 'iccid: 18 to 20 digits');
    }
    let proof: SemaphoreProof;
    try {
      proof = deps.parseProof(request.proof);
    } catch (error) {
      return refused(400, `proof: ${error instanceof Error ? error.message : String(error)}`);
    }
    const subscription = deps.store.subscription(request.iccid);
    // The same answer for an unknown ICCID and for a wrong proof: the API says nothing about an ICCID to a stranger.
    const denied = refused(403, 'the proof does not show the holder of this subscription\'s identity');
    if (!takeChallenge(BigInt(proof.scope))) return refused(403, 'the proof\'s scope is not an outstanding challenge of this API');
    if (subscription === undefined) return denied;
    if (BigInt(proof.merkleTreeRoot) !== BigInt(subscription.commitment) || BigInt(proof.message) !== BigInt(plansProofMessage(request.iccid))) return denied;
    if (!(await deps.verifyProof(proof))) return denied;
    const { commitment: _commitment, ...plan } = subscription;
    return { status: 200, body: plan };
  }

  return {
    async handle(method: string, path: string, body: unknown): Promise<PlansAnswer> {
      if (method === 'GET' && path === PLANS_PATHS.offers) return { status: 200, body: { offers: deps.store.offers() } };
      if (method === 'POST' && path === PLANS_PATHS.challenge) {
        if (challenges.size >= MAX_CHALLENGES) challenges.delete(challenges.keys().next().value ?? '');
        const challenge = deps.randomHex(16);
        const expiresAt = deps.now() + CHALLENGE_TTL_MS;
        challenges.set(challenge, expiresAt);
        return { status: 200, body: { challenge, expiresAt } };
      }
      if (method === 'POST' && path === PLANS_PATHS.active) return active(body);
      return refused(404, `no ${method} ${path}`);
    },
  };
}
