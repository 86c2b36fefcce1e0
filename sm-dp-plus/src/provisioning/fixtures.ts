// The fixture file of `zkesim smdp provision` / `reset`: orders with operator-chosen
// MatchingIDs, EIDs, confirmation codes, release state and expiry (past ones too), preset attempt counters,
// Profile Policy Rules and lab-only reusable orders, plus the IMEI blocklist, as JSON or YAML. Parsed into
// typed values here; every problem names its path in the file.
import { PROFILE_POLICY_RULES, type ProfilePolicyRule } from '@zkesim/protocol';
import type { DeviceConstraints } from '../core/repository.js';

export interface OrderFixture {
  profileType?: string;
  iccid?: string;
  eid?: string;
  matchingId?: string;
  confirmationCode?: string;
  /** true: Released (downloadable); false: Confirmed (needs ES2+.ReleaseProfile). Default true. */
  released: boolean;
  /** ISO 8601 time after which the order is refused (8.8.5 / 4.10). */
  expiresAt?: string;
  operatorId?: string;
  deviceConstraints?: DeviceConstraints;
  /** Download attempts (AuthenticateClient calls) the order starts with (SGP.22 8.8.5 / 6.4 at the limit). */
  downloadAttempts?: number;
  /** Wrong confirmation codes the order starts with (8.2.7 / 6.4 at the limit). */
  confirmationCodeAttempts?: number;
  /** Profile Policy Rules the profile's metadata sets (SGP.22 §2.9.1). */
  profilePolicyRules?: ProfilePolicyRule[];
  /** Lab mode only: after each successful installation the order is downloadable again. */
  reusable?: boolean;
}

export interface Fixtures {
  orders: OrderFixture[];
  blockedImeis: { imei: string; reason: string }[];
}

export class FixtureError extends Error {
  override readonly name = 'FixtureError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`fixture ${path}: ${detail}`);
  }
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Plain, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new FixtureError(`${path}.${key}`, 'must be a string');
  return value;
}

export function parseFixtures(value: unknown): Fixtures {
  if (!isPlain(value)) throw new FixtureError('(root)', 'must be an object with "orders" and/or "blockedImeis"');
  const known = new Set(['orders', 'blockedImeis']);
  for (const key of Object.keys(value)) if (!known.has(key)) throw new FixtureError(key, 'unknown key');
  const orders = value.orders ?? [];
  const blocked = value.blockedImeis ?? [];
  if (!Array.isArray(orders)) throw new FixtureError('orders', 'must be a list');
  if (!Array.isArray(blocked)) throw new FixtureError('blockedImeis', 'must be a list');
  return {
    orders: orders.map((order: unknown, index) => parseOrder(order, `orders[${index}]`)),
    blockedImeis: blocked.map((entry: unknown, index) => {
      const path = `blockedImeis[${index}]`;
      if (typeof entry === 'string' || typeof entry === 'number') return { imei: String(entry), reason: 'blocked' };
      if (!isPlain(entry)) throw new FixtureError(path, 'must be an IMEI or { imei, reason }');
      const imei = optionalString(entry, 'imei', path);
      if (imei === undefined) throw new FixtureError(`${path}.imei`, 'is required');
      return { imei, reason: optionalString(entry, 'reason', path) ?? 'blocked' };
    }),
  };
}

function parseOrder(value: unknown, path: string): OrderFixture {
  if (!isPlain(value)) throw new FixtureError(path, 'must be an object');
  const allowed = new Set([
    'profileType', 'iccid', 'eid', 'matchingId', 'confirmationCode', 'released', 'expiresAt', 'operatorId', 'deviceConstraints',
    'downloadAttempts', 'confirmationCodeAttempts', 'profilePolicyRules', 'reusable',
  ]);
  for (const key of Object.keys(value)) if (!allowed.has(key)) throw new FixtureError(`${path}.${key}`, 'unknown key');
  const order: OrderFixture = { released: value.released === undefined ? true : value.released === true };
  if (value.released !== undefined && typeof value.released !== 'boolean') throw new FixtureError(`${path}.released`, 'must be true or false');
  for (const key of ['profileType', 'iccid', 'eid', 'matchingId', 'confirmationCode', 'operatorId'] as const) {
    const text = optionalString(value, key, path);
    if (text !== undefined) order[key] = text;
  }
  const expires = value.expiresAt instanceof Date ? value.expiresAt.toISOString() : optionalString(value, 'expiresAt', path);
  if (expires !== undefined) {
    if (Number.isNaN(Date.parse(expires))) throw new FixtureError(`${path}.expiresAt`, 'must be an ISO 8601 time');
    order.expiresAt = expires;
  }
  if (order.iccid === undefined && order.profileType === undefined) throw new FixtureError(path, 'needs iccid or profileType');
  for (const key of ['downloadAttempts', 'confirmationCodeAttempts'] as const) {
    const count = value[key];
    if (count === undefined) continue;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new FixtureError(`${path}.${key}`, 'must be a whole number ≥ 0');
    order[key] = count;
  }
  if (value.reusable !== undefined) {
    if (typeof value.reusable !== 'boolean') throw new FixtureError(`${path}.reusable`, 'must be true or false');
    if (value.reusable) order.reusable = true;
  }
  const rules = value.profilePolicyRules;
  if (rules !== undefined) {
    if (!Array.isArray(rules)) throw new FixtureError(`${path}.profilePolicyRules`, 'must be a list');
    order.profilePolicyRules = rules.map((rule: unknown, index) => {
      if (typeof rule !== 'string' || !(PROFILE_POLICY_RULES as readonly string[]).includes(rule)) {
        throw new FixtureError(`${path}.profilePolicyRules[${index}]`, `must be one of ${PROFILE_POLICY_RULES.join(', ')}`);
      }
      return rule as ProfilePolicyRule;
    });
  }
  const constraints = value.deviceConstraints;
  if (constraints !== undefined) {
    if (!isPlain(constraints)) throw new FixtureError(`${path}.deviceConstraints`, 'must be an object');
    const tacs = constraints.allowedTacs;
    if (tacs !== undefined && !(Array.isArray(tacs) && tacs.every((t) => typeof t === 'string' && /^\d{8}$/.test(t)))) {
      throw new FixtureError(`${path}.deviceConstraints.allowedTacs`, 'must be a list of 8-digit TACs');
    }
    order.deviceConstraints = {
      ...(tacs === undefined ? {} : { allowedTacs: tacs as string[] }),
      ...(constraints.imeiRequired === undefined ? {} : { imeiRequired: constraints.imeiRequired === true }),
    };
  }
  return order;
}
