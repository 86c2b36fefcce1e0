// The ZK verifier's HTTPS adapter, on the loopback for Kamailio's http_client: POST /register, /invite and
// /media-check with a JSON body whose values are hex-encoded (Kamailio's {s.encode.hexa}, so no SIP header
// value can break the JSON), answered with the SIP status to give and, as text, the address or reason phrase.
import { ConcurrencyLimit, closeServer, createServerMetrics, serverTlsOptions, startHttpsServer, type HttpRoute, type Logger, type RouteResult } from '@zkesim/rsp-server';
import type { InviteFacts, RegisterFacts, SipVerdict, SipVerifier } from '../core/verifier.js';

export interface VerifierServerOptions {
  host: string;
  port: number;
  tls: { certificate: string; key: string };
  verifier: SipVerifier;
  logger: Logger;
}

export interface RunningVerifier {
  url: string;
  close(): Promise<void>;
}

/** A request body's field: hex of UTF-8 text; absent or empty is ''. */
function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw new RangeError(`${name}: not hex`);
  return Buffer.from(value, 'hex').toString('utf8');
}

function parse(bytes: Uint8Array): Record<string, unknown> {
  const json: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RangeError('not a JSON object');
  return json as Record<string, unknown>;
}

function answer(verdict: SipVerdict): RouteResult {
  // The text goes into a SIP reason phrase or URI: one line, printable ASCII only.
  const text = verdict.status === 200 ? verdict.address : verdict.reason;
  return { status: verdict.status, body: text.replace(/[^\x20-\x7e]/g, '?'), contentType: 'text/plain' };
}

function sipRoute(name: string, decide: (body: Record<string, unknown>) => Promise<SipVerdict>): HttpRoute {
  return {
    interface: 'sip',
    function: name,
    requiresClient: false,
    async handle(input) {
      let body: Record<string, unknown>;
      try {
        body = parse(input.body);
      } catch (error) {
        return { status: 400, body: `Bad verifier request: ${error instanceof Error ? error.message : String(error)}`, contentType: 'text/plain' };
      }
      return answer(await decide(body));
    },
  };
}

function registerFacts(body: Record<string, unknown>): RegisterFacts {
  const proof = field(body, 'proof');
  return { proof: proof === '' ? undefined : proof, callId: field(body, 'callId'), cseq: field(body, 'cseq'), contact: field(body, 'contact'), to: field(body, 'to') };
}

function inviteFacts(body: Record<string, unknown>): InviteFacts {
  const proof = field(body, 'proof');
  return { proof: proof === '' ? undefined : proof, callId: field(body, 'callId'), cseq: field(body, 'cseq'), from: field(body, 'from'), to: field(body, 'to'), sdp: field(body, 'sdp') };
}

/** Bad hex in a field is the caller's error (400), never a crash. */
const guarded = <T>(read: (body: Record<string, unknown>) => T, decide: (facts: T) => Promise<SipVerdict>) => async (body: Record<string, unknown>): Promise<SipVerdict> => {
  let facts: T;
  try {
    facts = read(body);
  } catch (error) {
    return { status: 400, reason: `Bad verifier request: ${error instanceof Error ? error.message : String(error)}` };
  }
  return decide(facts);
};

export async function startVerifierServer(options: VerifierServerOptions): Promise<RunningVerifier> {
  const { verifier } = options;
  const routes = new Map<string, HttpRoute>([
    ['/register', sipRoute('register', guarded(registerFacts, (facts) => verifier.register(facts)))],
    ['/invite', sipRoute('invite', guarded(inviteFacts, (facts) => verifier.invite(facts)))],
    ['/media-check', sipRoute('mediaCheck', guarded(inviteFacts, (facts) => verifier.mediaCheck(facts)))],
  ]);
  const metrics = createServerMetrics({ prefix: 'zksip', defaultMetrics: false, sessionsHelp: 'Unused by the SIP verifier', outboxHelp: 'Unused by the SIP verifier' });
  const { server, url } = await startHttpsServer({
    host: options.host,
    port: options.port,
    tls: serverTlsOptions(options.tls.certificate, options.tls.key),
    listener: { routes, maxBodyBytes: 64 * 1024, concurrency: new ConcurrencyLimit(64), metrics, logger: options.logger },
  });
  return { url, close: () => closeServer(server) };
}
