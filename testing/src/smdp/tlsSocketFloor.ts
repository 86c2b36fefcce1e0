// The TLS socket floor of the SM-DP+ load bench: what a Node server pays per download for its TLS sockets alone,
// without Node's HTTP module. A node:tls server with the ES9+ endpoint's TLS settings that reads each request
// only as far as it must to see where it ends (its head, then as many body bytes as its Content-Length says) and
// writes back, byte for byte, what the HTTPS floor answers that path with (status line, headers and body,
// recorded from the plain-TCP floor once at start). It is a measuring device for the bench's own clients, not an
// HTTP server: a request it cannot frame that way (no head end within the cap, chunked, a bad Content-Length)
// closes the connection, which the clients count as an error. The HTTPS floor less this floor is what Node's
// HTTP/1.1 server (parser, IncomingMessage and ServerResponse streams, events, timers) costs per download.
import { connect as connectTcp, type Socket } from 'node:net';
import { createServer, type TlsOptions } from 'node:tls';
import { listen } from '@zkesim/rsp-server';

/** The most bytes a request may hold before its end is seen (the bench's largest request is about 2 KB). */
const maxPendingBytes = 1 << 20;

const headEnd = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Where the first whole HTTP/1.1 message in `bytes` ends: after its head and its Content-Length body (RFC 9112
 * §6.3: without Content-Length and Transfer-Encoding, a request has no body, and so has a 204). `undefined`
 * while it is incomplete. Throws on what this reading cannot frame: Transfer-Encoding, a Content-Length that is
 * not one decimal number.
 */
export function messageEnd(bytes: Buffer): number | undefined {
  const end = bytes.indexOf(headEnd);
  if (end === -1) return undefined;
  const head = bytes.toString('latin1', 0, end);
  let length = 0;
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    if (name === 'transfer-encoding') throw new Error('TLS socket floor: Transfer-Encoding is not framed here');
    if (name === 'content-length') {
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,9}$/.test(value)) throw new Error(`TLS socket floor: Content-Length ${JSON.stringify(value)}`);
      length = Number(value);
    }
  }
  const total = end + headEnd.length + length;
  return bytes.length < total ? undefined : total;
}

/** The request target of a message's request line (`POST /path HTTP/1.1` → `/path`). */
function targetOf(bytes: Buffer): string {
  const first = bytes.indexOf(0x20);
  const second = bytes.indexOf(0x20, first + 1);
  return bytes.toString('latin1', first + 1, second);
}

/**
 * What the HTTP/1.1 server at 127.0.0.1:`port` sends, byte for byte, for a keep-alive POST without a body to
 * each of `paths` (one connection, one request after the other).
 */
export async function recordAnswers(port: number, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  const answers = new Map<string, Buffer>();
  try {
    let pending = Buffer.alloc(0);
    let waiting: { resolve: (answer: Buffer) => void; reject: (error: Error) => void } | undefined;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      try {
        const end = messageEnd(pending);
        if (end === undefined || waiting === undefined) return;
        waiting.resolve(pending.subarray(0, end));
        pending = pending.subarray(end);
      } catch (error) {
        waiting?.reject(error as Error);
      }
    });
    socket.on('error', (error) => waiting?.reject(error));
    // A server that closes without answering fails the recording rather than leaving it waiting (a settled promise ignores it).
    socket.on('close', () => waiting?.reject(new Error('TLS socket floor: the plain floor closed the connection before answering')));
    for (const path of paths) {
      const answer = new Promise<Buffer>((resolve, reject) => (waiting = { resolve, reject }));
      socket.write(`POST ${path} HTTP/1.1\r\nHost: floor\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n`);
      answers.set(path, Buffer.from(await answer));
    }
    return answers;
  } finally {
    socket.destroy();
  }
}

/**
 * The floor server, listening on `host` at a free port: `answers` by request target, `notFound` for any other; a
 * connection idle for `keepAliveTimeoutMs` is closed, as Node's HTTP server closes an idle keep-alive
 * connection. Its URL, and how to stop it (every open connection destroyed).
 */
export async function startTlsSocketFloor(
  tls: TlsOptions,
  answers: ReadonlyMap<string, Buffer>,
  notFound: Buffer,
  keepAliveTimeoutMs: number,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer(tls, (socket) => {
    let pending: Buffer | undefined;
    socket.setTimeout(keepAliveTimeoutMs, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let bytes = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        let end: number | undefined;
        try {
          end = messageEnd(bytes);
        } catch {
          socket.destroy();
          return;
        }
        if (end === undefined) break;
        socket.write(answers.get(targetOf(bytes)) ?? notFound);
        bytes = bytes.subarray(end);
      }
      if (bytes.length > maxPendingBytes) {
        socket.destroy();
        return;
      }
      pending = bytes.length === 0 ? undefined : bytes;
    });
  });
  // The raw TCP sockets (a client still in its handshake holds one too), so that closing the floor ends them all.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const url = await listen(server, host, 0, 'https');
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      for (const socket of sockets) socket.destroy();
    });
  return { url, close };
}
