// Runs the SM-DS cases against one server: a fresh played eUICC per session, ES12 with the SM-DP+
// credentials given (the ES12 cases are inconclusive without them), every outcome a verdict.
import { readFileSync } from 'node:fs';
import type { CaseResult } from '../runner/model.js';
import { runCases, type RunOptions } from '../runner/run.js';
import type { HttpTarget } from '../runner/http.js';
import { loadCardIdentity, newCard, type EuiccIdentityFiles } from '../smdp/card.js';
import { addressOf, pemOf } from '../smdp/runSmdp.js';
import { Es9Session, ES9_BASE } from '../smdp/session.js';
import { smdsCases } from './cases.js';
import { Es12Client } from './es12.js';
import type { SmdsEnv } from './env.js';

export interface SmdpCredentialFiles {
  /** CERT.DPtls (PEM) presented as client certificate on ES12. */
  readonly certificate: string;
  readonly key: string;
}

export interface SmdsRunOptions extends Omit<RunOptions, 'target'> {
  /** `https://HOST[:PORT]` of the SM-DS (ES11). */
  readonly url: string;
  /**
   * `https://HOST[:PORT]` where the SM-DS serves ES12 (default: `url`); an SM-DS enforcing ES12's mutual TLS at
   * the handshake serves it on another port than ES11.
   */
  readonly es12Url?: string;
  /** File of the CI certificate (PEM or DER) the SM-DS certificates chain to; the eUICC trusts it. */
  readonly ciFile: string;
  /** The SM-DS address sent in InitiateAuthentication (§5.8.1); default host[:port] of `url`. */
  readonly smdsAddress?: string;
  readonly identity: EuiccIdentityFiles;
  readonly smdp?: SmdpCredentialFiles;
  /** A second SM-DP+'s credentials, for deleting another registrant's event. */
  readonly otherSmdp?: SmdpCredentialFiles;
  /** A TLS credential under the same CI in another RSP role (e.g. CERT.DStls), which ES12 must refuse. */
  readonly wrongRole?: SmdpCredentialFiles;
  readonly requester?: string;
  readonly resolve?: Readonly<Record<string, string>>;
  readonly requestTimeoutMs?: number;
}

export function runSmdsConformance(options: SmdsRunOptions): Promise<CaseResult[]> {
  const identity = loadCardIdentity(options.identity, options.ciFile);
  const address = addressOf(options.url);
  const smdsAddress = options.smdsAddress ?? address;
  const http: HttpTarget = { address, ca: [pemOf(options.ciFile)], timeoutMs: options.requestTimeoutMs ?? 10_000, ...(options.resolve === undefined ? {} : { resolve: options.resolve }) };
  const requester = options.requester ?? 'conformance';
  const es12Http: HttpTarget = options.es12Url === undefined ? http : { ...http, address: addressOf(options.es12Url) };
  const es12With = (files: SmdpCredentialFiles, label: string) =>
    new Es12Client({ ...es12Http, clientCertificate: readFileSync(files.certificate, 'utf8'), clientKey: readFileSync(files.key, 'utf8') }, requester, label);
  const es12 = options.smdp === undefined ? undefined : es12With(options.smdp, 'SM-DP+');
  const es12Other = options.otherSmdp === undefined ? undefined : es12With(options.otherSmdp, 'another SM-DP+');
  const es12WrongRole = options.wrongRole === undefined ? undefined : es12With(options.wrongRole, 'another role');
  const es12Anonymous = new Es12Client(es12Http, requester, 'no client certificate');
  return runCases(
    smdsCases(),
    async (_testCase, t) => {
      const env: SmdsEnv = {
        http,
        smdsAddress,
        identity,
        t,
        es12Anonymous,
        ...(es12 === undefined ? {} : { es12 }),
        ...(es12Other === undefined ? {} : { es12Other }),
        ...(es12WrongRole === undefined ? {} : { es12WrongRole }),
        session: async (family = 'es9plus') =>
          new Es9Session(t, { http, smdpAddress: smdsAddress, card: await newCard(identity), base: family === 'es11' ? '/gsma/rsp2/es11' : ES9_BASE }),
      };
      return env;
    },
    { ...options, target: 'smds' },
  );
}
