// What every SM-DP+ case gets: the server's address and trust, a way to play a fresh eUICC in a new ES9+
// session, the fixtures it claimed, and ES2+ when credentials were given.
import type { Fixture, FixtureKind } from '../runner/fixtures.js';
import type { CaseContext, ConformanceCase } from '../runner/model.js';
import type { HttpTarget } from '../runner/http.js';
import type { CardIdentity } from './card.js';
import type { Es2Client } from './es2.js';
import type { Es9Session } from './session.js';

export interface SmdpEnv {
  readonly http: HttpTarget;
  readonly smdpAddress: string;
  readonly identity: CardIdentity;
  /** A new ES9+ session with a freshly played eUICC (same identity). */
  session(): Promise<Es9Session>;
  /** A new ES9+ session with a second played eUICC of another EID, when its identity was given. */
  otherSession?(): Promise<Es9Session>;
  /** The fixture of `kind` this case claimed (declared in its `fixtures`). */
  fixture(kind: FixtureKind): Fixture;
  /** Present when ES2+ credentials were given. */
  readonly es2?: Es2Client;
  readonly t: CaseContext;
}

export type SmdpCase = ConformanceCase<SmdpEnv>;
