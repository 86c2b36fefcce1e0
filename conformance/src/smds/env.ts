// What every SM-DS case gets: the server's address and trust, a way to play a fresh eUICC in a new ES11
// session (on either path family), and ES12 when SM-DP+ credentials were given.
import type { CaseContext, ConformanceCase } from '../runner/model.js';
import type { HttpTarget } from '../runner/http.js';
import type { CardIdentity } from '../smdp/card.js';
import type { Es9Session } from '../smdp/session.js';
import type { Es12Client } from './es12.js';

/** Where an SM-DS serves ES11 (§5.8): the ES9+ paths deployed LPAs call, and `/gsma/rsp2/es11`. */
export type Es11PathFamily = 'es9plus' | 'es11';

export interface SmdsEnv {
  readonly http: HttpTarget;
  /** The SM-DS address sent in InitiateAuthentication (§5.8.1 smdsAddress). */
  readonly smdsAddress: string;
  readonly identity: CardIdentity;
  /** A new ES11 session with a freshly played eUICC on the given path family (default es9plus). */
  session(family?: Es11PathFamily): Promise<Es9Session>;
  /** Present when SM-DP+ (DPtls) credentials were given. */
  readonly es12?: Es12Client;
  /** Present when a second SM-DP+'s credentials were given (deleting another registrant's event). */
  readonly es12Other?: Es12Client;
  /** Present when a certificate of another RSP role (e.g. CERT.DStls) was given. */
  readonly es12WrongRole?: Es12Client;
  /** ES12 without a client certificate (always possible). */
  readonly es12Anonymous: Es12Client;
  readonly t: CaseContext;
}

export type SmdsCase = ConformanceCase<SmdsEnv>;
