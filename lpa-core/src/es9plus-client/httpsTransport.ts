// The one HTTPS adapter of the LPA (SGP.22 v2.2.2 §2.6.6 / §6.1): server-authenticated TLS whose chain must
// end at one of the configured CI certificates, the host name checked against the RSP server address. There
// is no switch to turn verification off. `resolve` only changes where the TCP connection goes (as curl's
// --resolve): the certificate is still checked for the address's host name.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { InvalidIdentifier, adminProtocolHeader, adminProtocolVersion, jsonContentType, lpaUserAgent, serverAddress } from '@zkesim/protocol';
import { ServerUnreachable } from '../errors.js';

export interface HttpsOptions {
  /** PEM text of the CI certificate(s) the server's TLS chain must lead to. */
  readonly trustedCertificates: readonly string[];
  /** Host name → IP address to connect to instead of resolving it (loopback setups). */
  readonly resolve?: Readonly<Record<string, string>>;
  /** Per-request limit; default 30 s. */
  readonly timeoutMs?: number;
  /** Largest accepted response body; default 4 MiB (a BPP is well under 1 MiB). */
  readonly maxResponseBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** POSTs a JSON body to https://<address><path> and returns status and body text. */
export function postJson(address: string, path: string, body: string, options: HttpsOptions): Promise<HttpResponse> {
  const { host, port } = splitAddress(address);
  const connectHost = options.resolve?.[host.toLowerCase()] ?? host;
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  if (options.trustedCertificates.length === 0) {
    return Promise.reject(new ServerUnreachable(address, 'no CI certificate configured to verify the server (use --ci FILE)'));
  }
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: connectHost,
        port,
        path,
        method: 'POST',
        ca: [...options.trustedCertificates],
        // SNI and the identity check use the address's host name even when connecting to another IP.
        ...(isIP(host) === 0 ? { servername: host } : {}),
        checkServerIdentity: (_name: string, certificate: PeerCertificate) => checkServerIdentity(host, certificate),
        // OpenSSL 3.0 (Node 20) completes a brainpool DPtls handshake only with this group offered, over TLS 1.2.
        ecdhCurve: 'prime256v1:brainpoolP256r1:secp384r1',
        timeout: options.timeoutMs ?? 30_000,
        headers: {
          'Content-Type': jsonContentType,
          'User-Agent': lpaUserAgent,
          [adminProtocolHeader]: adminProtocolVersion,
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new ServerUnreachable(address, `response larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(new ServerUnreachable(address, error.message, error)));
      },
    );
    req.on('timeout', () => req.destroy(new ServerUnreachable(address, `no answer within ${options.timeoutMs ?? 30_000} ms`, undefined, true)));
    req.on('error', (error) => reject(error instanceof ServerUnreachable ? error : new ServerUnreachable(address, error.message, error)));
    req.end(body);
  });
}

/** Host and port of a server address, checked with protocol's serverAddress (host name or IP literal, optional :port). */
function splitAddress(address: string): { host: string; port: number } {
  try {
    serverAddress(address);
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new ServerUnreachable(address, error.detail);
    throw error;
  }
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
  const host = (match?.[1] ?? address).replace(/^\[(.*)\]$/, '$1');
  return { host, port: match?.[2] === undefined ? 443 : Number(match[2]) };
}
