// The operator onboarding API over HTTPS: one JSON function on the ES2+ listener, so the operator authenticates
// exactly as for ES2+ (mutual TLS, the configured operator trusts of operatorAuth.ts; rsp-server refuses a call
// without an accepted client certificate before the route runs). Not a GSMA function: its path is under
// /zkesim/, its body plain JSON (no ES2+ header), and its errors `{ error: { field, message } }`.
// SPEC-AMBIGUITY: SGP.22 has no onboarding function; we chose a vendor path on the ES2+ listener over an ES2+
// DownloadOrder extension because the answer's order must carry an identity whose secret the operator never sees.
import { RspError } from '@zkesim/protocol';
import type { HttpRoute, RouteResult } from '@zkesim/rsp-server';
import type { OperatorIdentity } from '../es2plus/operator.js';
import { eraseOnboardedSubscriber } from './eraseSubscriber.js';
import { OnboardingRefused, checkConfirmationCode, onboardSubscriber, type OnboardingDeps, type OnboardingRequest } from './onboardSubscriber.js';

export const ONBOARDING_PATH = '/zkesim/onboarding/v1/onboardSubscriber';
/** Right to erasure: `{ kycReference }` → `{ erased, revoked, activityTagsErased, identityTokensDropped }`. */
export const ERASURE_PATH = '/zkesim/onboarding/v1/eraseSubscriber';

const known = new Set(['kycReference', 'wallet', 'profileType', 'eid', 'confirmationCode']);

function json(status: number, value: unknown): RouteResult {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}

function jsonObject(body: Uint8Array, allowed: ReadonlySet<string>): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new OnboardingRefused('(body)', 'the body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OnboardingRefused('(body)', 'the body must be a JSON object');
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!allowed.has(key)) throw new OnboardingRefused(key, `unknown field ${key}`);
  return fields;
}

/** The request body as an OnboardingRequest; the error names the field. */
export function parseOnboardingRequest(body: Uint8Array): OnboardingRequest {
  const fields = jsonObject(body, known);
  const text = (key: string, required: boolean): string | undefined => {
    const item = fields[key];
    if (item === undefined && !required) return undefined;
    if (typeof item !== 'string' || item === '') throw new OnboardingRefused(key, `${key}: must be a non-empty string`);
    return item;
  };
  const wallet = text('wallet', false);
  const eid = text('eid', false);
  const confirmationCode = fields.confirmationCode;
  if (confirmationCode !== undefined) checkConfirmationCode(confirmationCode);
  return {
    kycReference: text('kycReference', true) as string,
    profileType: text('profileType', true) as string,
    ...(wallet === undefined ? {} : { wallet }),
    ...(eid === undefined ? {} : { eid }),
    ...(confirmationCode === undefined ? {} : { confirmationCode }),
  };
}

/** The erasure request body: `{ kycReference }` only. */
export function parseErasureRequest(body: Uint8Array): { kycReference: string } {
  const fields = jsonObject(body, new Set(['kycReference']));
  if (typeof fields.kycReference !== 'string' || fields.kycReference === '') throw new OnboardingRefused('kycReference', 'kycReference: must be a non-empty string');
  return { kycReference: fields.kycReference };
}

export function onboardingRoutes(deps: OnboardingDeps): Map<string, HttpRoute<OperatorIdentity>> {
  const route: HttpRoute<OperatorIdentity> = {
    interface: 'onboarding',
    function: 'onboardSubscriber',
    requiresClient: true,
    handle: async (input) => {
      const operator = input.client as OperatorIdentity;
      return json(200, await onboardSubscriber(deps, operator, parseOnboardingRequest(input.body)));
    },
    failure,
  };
  // The same operator authentication (mutual TLS, requiresClient); the operator's id keys the link it may erase.
  const erasure: HttpRoute<OperatorIdentity> = {
    interface: 'onboarding',
    function: 'eraseSubscriber',
    requiresClient: true,
    handle: async (input) => json(200, await eraseOnboardedSubscriber(deps, input.client as OperatorIdentity, parseErasureRequest(input.body))),
    failure,
  };
  return new Map([
    [ONBOARDING_PATH, route],
    [ERASURE_PATH, erasure],
  ]);
}

function failure(error: unknown): RouteResult {
  if (error instanceof OnboardingRefused) return json(error.status, { error: { field: error.field, message: error.message } });
  // The order functions' refusals (unknown profile type, none available, bad EID) keep their SGP.22 codes.
  if (error instanceof RspError) {
    return json(400, { error: { field: error.subjectIdentifier ?? '', message: error.message, subjectCode: error.subjectCode, reasonCode: error.reasonCode } });
  }
  return json(500, { error: { field: '', message: 'onboarding failed; see the SM-DP+ log' } });
}
