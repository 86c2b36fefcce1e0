// The runner's one HTTPS client: POSTs any body (malformed ones on purpose) and returns status, headers and
// body as received. Server authentication is never switched off: the chain must end at the given CI(s) and
// the certificate must name the address's host. Every request has a timeout and follows the case's abort
// signal, and every transport failure becomes a TransportError with a precise reason.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { resolveTarget } from '@zkesim/lpa-core';

export interface HttpTarget {
  /** `host[:port]` of the server (its RSP address). */
  readonly address: string;
  /** PEM text of the trusted CI certificates. */
  readonly ca: readonly string[];
  /** curl-style resolve entries: `host[:port]` → `IP[:PORT]`. */
  readonly resolve?: Readonly<Record<string, string>>;
  /** Client certificate and key (PEM) for mutual TLS (ES2+). */
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly timeoutMs?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export class TransportError extends Error {
  constructor(
    message: string,
    /** The socket error's code (ERR_SSL_…, EPROTO, ECONNRESET, ECONNREFUSED …), when a socket error caused it. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }

  /**
   * The server ended the TLS handshake (an alert: certificate required, unknown CA, bad certificate …), or reset
   * the connection before any answer, as a server enforcing mutual TLS at the handshake does; a refused TCP
   * connection or a timeout is not this.
   */
  get handshakeRefused(): boolean {
    return this.code !== undefined && /^(ERR_SSL_|EPROTO$|ECONNRESET$|EPIPE$)/.test(this.code);
  }
}

const MAX_BODY = 4 * 1024 * 1024;

export function splitAddress(address: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(address);
  if (match === null) throw new TransportError(`"${address}" is not host[:port]`);
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port: match[2] === undefined ? 443 : Number(match[2]) };
}

export function postRaw(
  target: HttpTarget,
  path: string,
  body: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
  method: 'POST' | 'GET' = 'POST',
): Promise<HttpAnswer> {
  const { host, port } = splitAddress(target.address);
  const to = resolveTarget(host, port, target.resolve);
  const timeoutMs = target.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError('case aborted'));
      return;
    }
    const req = request(
      {
        host: to.host,
        port: to.port,
        path,
        method,
        ca: [...target.ca],
        ...(isIP(host) === 0 ? { servername: host } : {}),
        checkServerIdentity: (_name: string, certificate: PeerCertificate) => checkServerIdentity(host, certificate),
        ecdhCurve: 'prime256v1:brainpoolP256r1:secp384r1',
        ...(target.clientCertificate === undefined ? {} : { cert: target.clientCertificate, key: target.clientKey }),
        timeout: timeoutMs,
        agent: false,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) req.destroy(new TransportError(`response larger than ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('aborted', () => reject(new TransportError(`connection closed by ${target.address} in the middle of the response`)));
        response.on('error', (error) => reject(new TransportError(`response from ${target.address} broken: ${error.message}`)));
      },
    );
    const onAbort = () => req.destroy(new TransportError('case aborted (timeout)'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', onAbort));
    req.on('timeout', () => req.destroy(new TransportError(`no answer from ${target.address}${path} within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof TransportError) reject(error);
      else if (error.code === 'ECONNRESET' || error.message === 'socket hang up') reject(new TransportError(`${target.address} closed the connection without an answer (${error.message})`, error.code));
      else reject(new TransportError(`cannot reach ${target.address}${path}: ${error.message}`, error.code));
    });
    req.end(body);
  });
}
