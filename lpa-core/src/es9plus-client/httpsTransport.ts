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
  /**
   * Where to connect instead of resolving the address (as curl's --resolve): keys `host` (every port) or
   * `host:port` (that port only, preferred), lower case; values `IP`, `IPv4:PORT` or `[IPv6]:PORT`.
   */
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
  const target = resolveTarget(host, port, options.resolve);
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  if (options.trustedCertificates.length === 0) {
    return Promise.reject(new ServerUnreachable(address, 'no CI certificate configured to verify the server (use --ci FILE)'));
  }
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
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

/** `IP`, `IPv4:PORT` or `[IPv6]:PORT` as host and port (port undefined: the address's own). */
function parseTarget(text: string): { host: string; port?: number } | undefined {
  if (isIP(text) !== 0) return { host: text };
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || isIP(host) === 0 || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * One `HOST[:PORT]=IP[:PORT]` entry (curl's --resolve, with the port optional on both sides) as the key and
 * value of {@link HttpsOptions.resolve}, or undefined when it is not one.
 * @example parseResolveEntry('smdp.example:443=127.0.0.1:8443') // { key: 'smdp.example:443', target: '127.0.0.1:8443' }
 */
export function parseResolveEntry(entry: string): { key: string; target: string } | undefined {
  const match = /^([^\s:=[\]]+)(?::(\d{1,5}))?=(.+)$/.exec(entry);
  if (match === null) return undefined;
  const [, host = '', port, target = ''] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  if (parseTarget(target) === undefined) return undefined;
  return { key: `${host.toLowerCase()}${port === undefined ? '' : `:${Number(port)}`}`, target };
}

/** The host and port to connect to for `host:port`: the `resolve` entry for host:port, else for host, else itself. */
export function resolveTarget(host: string, port: number, resolve: Readonly<Record<string, string>> = {}): { host: string; port: number } {
  const name = host.toLowerCase();
  const mapped = resolve[`${name}:${port}`] ?? resolve[name];
  if (mapped === undefined) return { host, port };
  const target = parseTarget(mapped);
  if (target === undefined) throw new ServerUnreachable(`${host}:${port}`, `resolve target "${mapped}" is not IP, IPv4:PORT or [IPv6]:PORT`);
  return { host: target.host, port: target.port ?? port };
}
