// A small HTTPS client for the tests: POST JSON (or bytes) to the SM-DP+ with the CI as trust anchor and
// the SM-DP+ host name for SNI and name checks, optionally with a client certificate. An http: URL goes over
// plain HTTP/1.1 (the load bench's plain-TCP floor), the TLS options then unused.
import { readFileSync } from 'node:fs';
import { request as plainRequest, type Agent } from 'node:http';
import { request, type RequestOptions } from 'node:https';
import { smdpHost } from './testPki.js';

export interface PostOptions {
  ca: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
  servername?: string;
  method?: 'GET' | 'POST';
  /** TLS settings a brainpool endpoint needs on the client (TLS 1.2 and the brainpool group). */
  brainpool?: boolean;
  /** The client's source address (any of 127.0.0.0/8 reaches the loopback on Linux), for limits per address. */
  localAddress?: string;
  /** A keep-alive agent to reuse connections and TLS sessions across requests, as field LPAs do (an http.Agent for an http: URL). */
  agent?: Agent;
}

export interface PostResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  bytes: Uint8Array;
  json: () => Record<string, unknown>;
}

export function post(url: string, body: string | Uint8Array, options: PostOptions): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const requestOptions: RequestOptions = {
      method: options.method ?? 'POST',
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.brainpool === true ? { ecdhCurve: 'prime256v1:brainpoolP256r1', maxVersion: 'TLSv1.2' as const } : {}),
      ca: readFileSync(options.ca),
      servername: options.servername ?? smdpHost,
      ...(options.cert === undefined ? {} : { cert: readFileSync(options.cert), key: readFileSync(options.key as string) }),
      headers: {
        'Content-Type': 'application/json;charset=UTF-8',
        'X-Admin-Protocol': 'gsma/rsp/v2.2.0',
        ...options.headers,
      },
    };
    const req = (url.startsWith('http:') ? plainRequest : request)(
      url,
      requestOptions,
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            bytes: new Uint8Array(raw),
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : Buffer.from(body));
  });
}

export function statusOf(result: PostResult): { status?: string; subjectCode?: string; reasonCode?: string } {
  const header = result.json().header as { functionExecutionStatus: { status: string; statusCodeData?: { subjectCode: string; reasonCode: string } } };
  const status = header.functionExecutionStatus;
  return { status: status.status, subjectCode: status.statusCodeData?.subjectCode, reasonCode: status.statusCodeData?.reasonCode };
}

/**
 * The client's error code when the server refused the TLS handshake of `call` (mutual TLS enforced there: a TLS
 * alert such as certificate required / unknown CA, or a reset); fails with the status when an HTTP answer came.
 */
export async function refusedAtHandshake(call: Promise<PostResult>): Promise<string> {
  let result: PostResult;
  try {
    result = await call;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (/^(ERR_SSL_|EPROTO$|ECONNRESET$|EPIPE$)/.test(code)) return code;
    throw error;
  }
  throw new Error(`the TLS handshake completed and the server answered HTTP ${result.status}: ${result.text}`);
}
