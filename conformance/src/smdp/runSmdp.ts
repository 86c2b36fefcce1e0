// Runs the SM-DP+ cases against one server: a fresh played eUICC per session, fixtures claimed per case
// from the file or made over ES2+, every outcome a verdict.
import { readFileSync } from 'node:fs';
import { FixturePool, type Fixture, type FixtureKind } from '../runner/fixtures.js';
import type { CaseResult } from '../runner/model.js';
import { runCases, type RunOptions } from '../runner/run.js';
import type { HttpTarget } from '../runner/http.js';
import { loadCardIdentity, newCard, type EuiccIdentityFiles } from './card.js';
import { Es2Client } from './es2.js';
import { es2Cases } from './es2Cases.js';
import { smdpCases } from './cases.js';
import { Es9Session } from './session.js';
import type { SmdpCase, SmdpEnv } from './env.js';

export interface SmdpRunOptions extends Omit<RunOptions, 'target'> {
  /** `https://HOST[:PORT]` of the ES9+ interface. */
  readonly url: string;
  /** File of the CI certificate (PEM or DER) the server's certificates chain to; the eUICC trusts it. */
  readonly ciFile: string;
  /** The SM-DP+ address sent in InitiateAuthentication (§5.6.1 smdpAddress); default host[:port] of `url`. */
  readonly smdpAddress?: string;
  readonly identity: EuiccIdentityFiles;
  /** A second eUICC of another EID (under a CI the SM-DP+ trusts), for the cases about binding to an EID. */
  readonly otherIdentity?: EuiccIdentityFiles;
  readonly fixtures: readonly Fixture[];
  readonly resolve?: Readonly<Record<string, string>>;
  readonly requestTimeoutMs?: number;
  readonly es2?: { readonly url: string; readonly certificate: string; readonly key: string; readonly requester: string; readonly profileType: string };
}

/** `host[:port]` of an https URL. */
export function addressOf(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') throw new Error(`${url}: the URL must be https://HOST[:PORT]`);
  return parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${parsed.port}`;
}

export function pemOf(file: string): string {
  const bytes = readFileSync(file);
  if (bytes.includes('-----BEGIN')) return bytes.toString('utf8');
  return `-----BEGIN CERTIFICATE-----\n${bytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

export function allSmdpCases(withEs2: boolean): SmdpCase[] {
  return [...smdpCases(), ...(withEs2 ? es2Cases() : [])];
}

export async function runSmdpConformance(options: SmdpRunOptions): Promise<CaseResult[]> {
  const identity = loadCardIdentity(options.identity, options.ciFile);
  const otherIdentity = options.otherIdentity === undefined ? undefined : loadCardIdentity(options.otherIdentity, options.ciFile);
  if (otherIdentity !== undefined && otherIdentity.eid === identity.eid) throw new Error('the second eUICC has the same EID as the first');
  const ca = [pemOf(options.ciFile)];
  const address = addressOf(options.url);
  const smdpAddress = options.smdpAddress ?? address;
  const http: HttpTarget = { address, ca, timeoutMs: options.requestTimeoutMs ?? 10_000, ...(options.resolve === undefined ? {} : { resolve: options.resolve }) };
  const es2 =
    options.es2 === undefined
      ? undefined
      : new Es2Client({
          http: {
            address: addressOf(options.es2.url),
            ca,
            clientCertificate: readFileSync(options.es2.certificate, 'utf8'),
            clientKey: readFileSync(options.es2.key, 'utf8'),
            timeoutMs: options.requestTimeoutMs ?? 10_000,
            ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
          },
          requesterIdentifier: options.es2.requester,
          profileType: options.es2.profileType,
          eid: identity.eid,
        });
  const pool = new FixturePool(options.fixtures, es2 === undefined ? undefined : (kind) => es2.make(kind));
  return runCases(
    allSmdpCases(es2 !== undefined),
    async (testCase, t) => {
      const claimed = new Map<FixtureKind, Fixture>();
      for (const kind of (testCase.fixtures ?? []) as FixtureKind[]) claimed.set(kind, await pool.take(kind));
      if (claimed.size > 0) t.step('fixtures', { note: [...claimed.values()].map((f) => `${f.kind}: ${f.matchingId}`).join(', ') });
      const env: SmdpEnv = {
        http,
        smdpAddress,
        identity,
        t,
        ...(es2 === undefined ? {} : { es2 }),
        session: async () => new Es9Session(t, { http, smdpAddress, card: await newCard(identity) }),
        ...(otherIdentity === undefined ? {} : { otherSession: async () => new Es9Session(t, { http, smdpAddress, card: await newCard(otherIdentity) }) }),
        fixture: (kind) => {
          const fixture = claimed.get(kind);
          if (fixture === undefined) throw new Error(`case ${testCase.id} uses fixture ${kind} without declaring it`);
          return fixture;
        },
      };
      return env;
    },
    { ...options, target: 'smdp' },
  );
}
