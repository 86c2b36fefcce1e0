// The LUI's client of the operator's plans API (apps/src/operator/plans): HTTPS, the server's certificate checked
// against the LPA's trust anchors (--ci), the host name checked. The catalogue is read without identifiers; the
// active plan with a proof that this device holds the subscription's identity (plansApi.ts says what the operator
// learns), made with the code of `zkesim lpa identity prove --group self`.
import { request } from 'node:https';
import type { Plan, ActivePlan } from '../operator/plans/plansStore.js';
import { PLANS_PATHS } from '../operator/plans/plansApi.js';
import { plansProofMessage, plansProofScope } from '../operator/plans/plansProof.js';
import type { SubscriberIdentityView } from '@zkesim/protocol';
import { proveWithIdentity } from '../cli/identityProve.js';

export class PlansApiError extends Error {
  override readonly name = 'PlansApiError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const MAX_ANSWER_BYTES = 256 * 1024;

function call(base: string, ca: readonly string[], method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, ca: [...ca], timeout: 30_000, headers: { 'Content-Type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new PlansApiError(0, 'the plans API answered too much'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          reject(new PlansApiError(response.statusCode ?? 0, `the plans API answered HTTP ${response.statusCode ?? 0} without JSON`));
          return;
        }
        if (response.statusCode !== 200) {
          const message = (parsed as { error?: { message?: string } }).error?.message ?? 'refused';
          reject(new PlansApiError(response.statusCode ?? 0, `the plans API answered HTTP ${response.statusCode ?? 0}: ${message}`));
          return;
        }
        resolve(parsed);
      });
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new PlansApiError(0, 'the plans API did not answer in time')));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export async function fetchOffers(base: string, ca: readonly string[]): Promise<Plan[]> {
  return ((await call(base, ca, 'GET', PLANS_PATHS.offers)) as { offers: Plan[] }).offers;
}

/** The active plan of the identity's subscription; `identity` is read with its secret, which is dropped after the proof. */
export async function fetchActivePlan(
  base: string, ca: readonly string[], identity: { identity: SubscriberIdentityView & { iccid: string }; identitySecret: Uint8Array },
  env: Record<string, string | undefined>, cwd: string,
): Promise<ActivePlan> {
  const { challenge } = (await call(base, ca, 'POST', PLANS_PATHS.challenge)) as { challenge: string };
  const iccid = identity.identity.iccid;
  const proof = await proveWithIdentity(identity, { scope: plansProofScope(challenge), message: plansProofMessage(iccid), group: 'self' }, env, cwd);
  return (await call(base, ca, 'POST', PLANS_PATHS.active, { iccid, proof })) as ActivePlan;
}
