// Listening and closing for an RSP server's HTTPS ports, with the timeouts that keep slow clients from
// holding connections.
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * Slow clients may hold a connection only briefly: an RSP request is a few kB, so 10 s for the headers
 * and 30 s for the whole request are generous (Node's defaults are 60 s and 300 s).
 */
const headersTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;

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
