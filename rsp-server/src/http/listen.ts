// Starting, listening and closing an RSP server's HTTPS ports: one server per port, serving a set of
// routes through the request listener, with the timeouts that keep slow clients from holding connections
// and, for the mutually authenticated interfaces (ES2+, ES12: SGP.22 §2.6.6), a request for the client's
// certificate.
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@zkesim/protocol';
import { clientCaPems, createClientIdentifier, type ClientTrust } from './clientCertificate.js';
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
   * The clients of the mutually authenticated routes served here: their certificates are requested and
   * verified against exactly these trusts (the configured CAs, through OpenSSL, or the pinned fingerprints).
   * Without it no client certificate is asked for and no route that requires a client can run.
   */
  clientCertificates?: { trusts: readonly ClientTrust<Client>[]; clock: Clock };
  /** The routes and limits; who the client is comes from `clientCertificates`, never from the caller. */
  listener: Omit<ListenerOptions<Client>, 'identifyClient'>;
}

/** One HTTPS server for these routes, listening; its base URL is `https://host:port`. */
export async function startHttpsServer<Client>(options: HttpsServerOptions<Client>): Promise<{ server: Server; url: string }> {
  const clients = options.clientCertificates;
  if (clients === undefined) {
    const server = createServer(options.tls, createRequestListener<Client>(options.listener));
    return { server, url: await listen(server, options.host, options.port) };
  }
  const ca = clientCaPems(clients.trusts);
  // Every client certificate is verified against the configured trusts: chained ones by OpenSSL against `ca`
  // during the handshake (the result is `socket.authorized`), pinned ones by fingerprint and validity; the
  // identifier below accepts nothing else, and a route that requires a client runs only for one it accepts.
  // The handshake itself does not refuse a failed or missing certificate: this port may also serve LPAs,
  // which have none (ES9+ is server-authenticated only, SGP.22 §2.6.6, and the ES2+ port may be shared with
  // it), and an unknown requester of ES2+/ES12 gets the SGP.22 answer (HTTP 403, 1.1.1 / 1.1), not a
  // broken handshake.
  const tls: ServerOptions = { ...options.tls, requestCert: true, rejectUnauthorized: false, ...(ca.length > 0 ? { ca } : {}) };
  const identifyClient = createClientIdentifier(clients.trusts, clients.clock);
  const server = createServer(tls, createRequestListener<Client>({ ...options.listener, identifyClient }));
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
