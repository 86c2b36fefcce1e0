// Starting, listening and closing an RSP server's HTTPS ports: one server per port, serving a set of
// routes through the request listener, with the connection limits that keep slow, idle or numerous clients
// from holding the server (timeouts enforced as configured, the TLS handshake included; caps in total and per
// address) and, for the mutually authenticated interfaces (ES2+, ES12, ES15: SGP.22 §2.6.6), mutual TLS
// enforced at the handshake.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import { createServer as createNetServer, isIP, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '@zkesim/protocol';
import { clientCaPems, createClientIdentifier, type ClientTrust } from './clientCertificate.js';
import type { ServerMetrics } from './metrics.js';
import { createRequestListener, type ListenerOptions } from './requestListener.js';
import { sourceKey } from './sourceKey.js';

/**
 * How long and how many connections a client may hold. An RSP request is a few kB and an LPA runs one
 * download at a time, so the defaults are generous for it and short for anyone holding sockets open.
 */
export interface ConnectionLimits {
  /** From TCP accept to the end of the TLS handshake, absolute (a ClientHello sent byte by byte gains nothing). */
  handshakeTimeoutMs: number;
  /** From the start of a request to its last header line. */
  headersTimeoutMs: number;
  /** From the start of a request to its last body byte. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection may stay idle between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections of this port, in total; beyond it new connections are closed at once. */
  maxConnections: number;
  /** Open connections from one address (an IPv6 /64, see sourceKey.ts); beyond it new ones are closed at once. */
  maxConnectionsPerAddress: number;
}

/** Node's own defaults are 120 s for the handshake, 60 s for headers, 300 s for a request, no connection cap. */
export const defaultConnectionLimits: Readonly<ConnectionLimits> = {
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_048,
  maxConnectionsPerAddress: 64,
};

export interface HttpsServerOptions<Client = unknown> {
  host: string;
  /** 0 for any free port. */
  port: number;
  /** The server's certificate, key and protocol settings (`serverTlsOptions`). */
  tls: ServerOptions;
  /**
   * The clients of the mutually authenticated routes served here: a client certificate is required by the
   * TLS handshake and verified by OpenSSL against exactly the CAs of these trusts, then matched to a trust
   * (CA and CN, or pinned fingerprint). Such a port serves no client without a certificate (LPAs belong on
   * another port). Without it no client certificate is asked for and no route that requires a client can run.
   */
  clientCertificates?: { trusts: readonly ClientTrust<Client>[]; clock: Clock } | ClientIdentification<Client>;
  /** The routes and limits; who the client is comes from `clientCertificates`, never from the caller. */
  listener: Omit<ListenerOptions<Client>, 'identifyClient'>;
  /** Overrides of `defaultConnectionLimits`. */
  connections?: Partial<ConnectionLimits>;
  /** When `port` is one of these, that socket is served instead of binding the port again. */
  boundSockets?: BoundSockets;
}

/**
 * A server's own identification of its mutual-TLS clients, when one identity per trust does not fit (the SM-DS
 * names each SM-DP+ by its certificate, for any SM-DP+ its CIs certify): `ca` lists the CAs OpenSSL verifies
 * client certificates against during the handshake; `identify` then checks the role, revocation and so on.
 */
export interface ClientIdentification<Client> {
  identify: (socket: TLSSocket) => Client | undefined;
  ca: readonly string[];
}

/** The raw TCP sockets of each started server, so that closing it does not wait for any of them. */
const openSockets = new WeakMap<HttpServer, Set<Socket>>();

/** One HTTPS server for these routes, listening; its base URL is `https://host:port`. */
export async function startHttpsServer<Client>(options: HttpsServerOptions<Client>): Promise<{ server: Server; url: string }> {
  const limits = { ...defaultConnectionLimits, ...options.connections };
  const clients = options.clientCertificates;
  let tls: ServerOptions = options.tls;
  let listener: ListenerOptions<Client> = options.listener;
  if (clients !== undefined) {
    const ca = 'identify' in clients ? [...new Set(clients.ca)] : clientCaPems(clients.trusts);
    if (ca.length === 0) throw new Error(`mutual TLS on port ${options.port}: no CA certificate to verify client certificates against`);
    // SGP.22 §2.6.6: ES2+, ES12 and ES15 are mutually authenticated. The handshake requires a client certificate
    // and OpenSSL verifies it against exactly `ca` (chain, signatures, validity, clientAuth purpose): a client
    // without one gets a handshake alert; one whose certificate does not verify has its socket destroyed by
    // Node as the handshake ends ('secureConnection' is never emitted); neither gets an HTTP answer. The
    // identifier below then decides which configured client it is (CN, pin, role, CRL); a certificate of a
    // configured CA that is none of them gets the SGP.22 refusal (HTTP 403, 1.1.1 / 1.1 or 1.2).
    // Node 20 has no partial-chain option, so every anchor in `ca` must lead to a self-signed root.
    tls = { ...tls, requestCert: true, rejectUnauthorized: true, ca };
    listener = { ...listener, identifyClient: 'identify' in clients ? clients.identify : createClientIdentifier(clients.trusts, clients.clock) };
  }
  const server = createServer(
    {
      ...tls,
      ...httpTimeouts(limits),
    },
    createRequestListener<Client>(listener),
  );
  limitConnections(server, limits, options.listener.metrics, true);
  return { server, url: await listen(server, options.host, options.port, 'https', options.boundSockets) };
}

/** Node's HTTP server options for the limits' timeouts (also the SM-DP+ load bench's HTTPS floor server's). */
export function httpTimeouts(limits: ConnectionLimits) {
  return {
    // Node checks the header and request timeouts only every connectionsCheckingInterval (30 s by default),
    // which let slow clients stay up to 30 s past them; a tenth of the shorter one keeps them close to exact.
    connectionsCheckingInterval: Math.max(50, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
  };
}

/**
 * The absolute handshake timeout and the connection caps, on the raw TCP sockets (before TLS: a client that
 * never sends a ClientHello holds a socket too). Node's own `handshakeTimeout` restarts with every byte received.
 */
function limitConnections(server: HttpServer, limits: ConnectionLimits, metrics: Pick<ServerMetrics, 'httpRejections'>, handshake: boolean): void {
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  const perAddress = new Map<string, number>();
  const handshaking = new Map<string, NodeJS.Timeout>();
  const peerOf = (socket: Socket) => `${socket.remoteAddress ?? ''}|${socket.remotePort ?? ''}`;
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => metrics.httpRejections.inc({ reason: 'connections' }));
  server.on('connection', (socket: Socket) => {
    const key = sourceKey(socket.remoteAddress);
    const count = (perAddress.get(key) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress) {
      metrics.httpRejections.inc({ reason: 'connections-per-address' });
      socket.destroy();
      return;
    }
    perAddress.set(key, count);
    sockets.add(socket);
    const peer = peerOf(socket);
    if (handshake) handshaking.set(peer, setTimeout(() => socket.destroy(), limits.handshakeTimeoutMs).unref());
    socket.once('close', () => {
      sockets.delete(socket);
      clearTimeout(handshaking.get(peer));
      handshaking.delete(peer);
      const remaining = (perAddress.get(key) ?? 1) - 1;
      if (remaining <= 0) perAddress.delete(key);
      else perAddress.set(key, remaining);
    });
  });
  // The TLS socket of a finished handshake has the raw socket's peer address and port.
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = peerOf(socket);
    clearTimeout(handshaking.get(peer));
    handshaking.delete(peer);
  });
}

/**
 * A plain-HTTP server for the operational endpoints (/healthz, /metrics) on an address only operators reach
 * (127.0.0.1 by default), with the same limits as the public ports; its base URL is `http://host:port`.
 */
export async function startAdminServer(options: {
  host: string;
  port: number;
  listener: ListenerOptions;
  connections?: Partial<ConnectionLimits>;
  boundSockets?: BoundSockets;
}): Promise<{ server: HttpServer; url: string }> {
  const limits = { ...defaultConnectionLimits, ...options.connections };
  const server = createHttpServer(httpTimeouts(limits), createRequestListener(options.listener));
  limitConnections(server, limits, options.listener.metrics, false);
  return { server, url: await listen(server, options.host, options.port, 'http', options.boundSockets) };
}

/**
 * Sockets already bound and listening, keyed by their port. Whoever must write a port into configuration
 * before the server that serves it exists (the SM-DP+ names its own address, its SM-DS's ports and the
 * operator's callback URL) binds port 0 first (`bindSocket`) and hands the socket over: no other process can
 * take the port between choosing and serving it, as one could after asking for a free port and releasing it.
 */
export type BoundSockets = ReadonlyMap<number, NetServer>;

/** A TCP socket bound and listening on host:`port` (0: a free port of the kernel's choice) until a server takes it over. */
export interface BoundSocket {
  readonly port: number;
  readonly socket: NetServer;
  /** Releases the port if no server took the socket over; after a takeover, call it only once that server has closed. */
  close(): Promise<void>;
}

export function bindSocket(host: string, port = 0): Promise<BoundSocket> {
  // Nothing has the address yet, so a connection before the takeover is a stray one: it is closed.
  const socket = createNetServer((connection) => connection.destroy());
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.listen(port, host, () => {
      socket.off('error', reject);
      resolve({
        port: (socket.address() as AddressInfo).port,
        socket,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}

/**
 * Listens on host:`port`, or serves the socket `bound` holds for that port; resolves to `scheme://host:port`.
 * Any net server (the HTTP(S) servers here; the load bench's bare TLS floor).
 * A socket bound on another address than `host` (a configuration that moved the server to another address) is
 * released and the port bound on `host`, as without it.
 */
export async function listen(server: NetServer, host: string, port: number, scheme: 'https' | 'http' = 'https', bound?: BoundSockets): Promise<string> {
  let socket = port === 0 ? undefined : bound?.get(port);
  if (socket !== undefined && !listensOnHost(socket, host)) {
    const other = socket;
    await new Promise<void>((done) => other.close(() => done()));
    socket = undefined;
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve(`${scheme}://${host}:${(server.address() as AddressInfo).port}`);
    };
    // Node's server.listen(handle): the server takes over the listening socket of `socket`.
    if (socket === undefined) server.listen(port, host, listening);
    else server.listen(socket, listening);
  });
}

/** Whether `socket` listens on `host` (a host name is taken as the socket's own: the stack binds 127.0.0.1). */
function listensOnHost(socket: NetServer, host: string): boolean {
  const address = socket.address();
  return address !== null && typeof address !== 'string' && (isIP(host) === 0 || address.address === host);
}

/**
 * Stops listening and closes every connection at once: idle and kept-alive ones, ones still in their TLS
 * handshake (which Node's closeAllConnections does not know) and ones with a request in flight, so a stop
 * never waits for a client.
 */
export function closeServer(server: HttpServer): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
    for (const socket of openSockets.get(server) ?? []) socket.destroy();
  });
}
