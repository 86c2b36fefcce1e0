// Starting, listening and closing an RSP server's HTTPS ports: one server per port, serving a set of
// routes through the request listener, with the timeouts that keep slow clients from holding connections
// and, for the mutually authenticated interfaces (ES2+, ES12: SGP.22 §2.6.6), a request for the client's
// certificate.
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequestListener, type ListenerOptions } from './requestListener.js';

/**
 * Slow clients may hold a connection only briefly: an RSP request is a few kB, so 10 s for the headers
 * and 30 s for the whole request are generous (Node's defaults are 60 s and 300 s).
 */
const headersTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;

export interface HttpsServerOptions<Client = unknown> {
  host: string;
  /** 0 for any free port. */
  port: number;
  /** The server's certificate, key and protocol settings (`serverTlsOptions`). */
  tls: ServerOptions;
  /**
   * Ask every client for a certificate, listing `ca` (PEM) for OpenSSL to verify chained ones against
   * (`clientCaPems`). The handshake refuses none: the listener's `identifyClient` decides per request,
   * and only routes that require a client refuse one it does not identify.
   */
  clientCertificates?: { ca: readonly string[] };
  listener: ListenerOptions<Client>;
}

/** One HTTPS server for these routes, listening; its base URL is `https://host:port`. */
export async function startHttpsServer<Client>(options: HttpsServerOptions<Client>): Promise<{ server: Server; url: string }> {
  const ca = options.clientCertificates?.ca ?? [];
  const clientCertificates =
    options.clientCertificates === undefined ? {} : { requestCert: true, rejectUnauthorized: false, ...(ca.length > 0 ? { ca: [...ca] } : {}) };
  const server = createServer({ ...options.tls, ...clientCertificates }, createRequestListener(options.listener));
  return { server, url: await listen(server, options.host, options.port) };
}

export function listen(server: Server, host: string, port: number): Promise<string> {
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(`https://${host}:${(server.address() as AddressInfo).port}`);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}
