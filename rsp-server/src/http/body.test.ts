// readBody over a real HTTP connection: random bodies in random chunks (chunked and with Content-Length) come
// back byte for byte on one keep-alive connection; a body past the limit is refused whether declared or
// streamed; a client that goes away mid-body rejects with the stream's error.
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody } from './body.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const limit = 4096;

/** A server answering each request with its body as read by readBody, or the name of the error. */
async function echoServer(onError?: (error: unknown) => void): Promise<number> {
  server = createServer((request: IncomingMessage, response) => {
    readBody(request, limit).then(
      (body) => response.end(Buffer.from(body)),
      (error: unknown) => {
        onError?.(error);
        if (!response.destroyed) response.writeHead(error instanceof BodyTooLarge ? 413 : 500, { Connection: 'close' }).end(String((error as Error).name));
      },
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server?.address() as AddressInfo).port;
}

function post(port: number, agent: Agent, chunks: Buffer[], declareLength: boolean): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/', agent, headers: declareLength ? { 'Content-Length': total } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function randomChunks(body: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const size = 1 + Math.floor(Math.random() * Math.min(700, body.length - at));
    chunks.push(body.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('readBody', () => {
  it('returns every body byte for byte, in any chunking, on one keep-alive connection', async () => {
    const port = await echoServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 60; i += 1) {
        const body = randomBytes(Math.floor(Math.random() * (limit + 1)));
        const answer = await post(port, agent, randomChunks(body), i % 2 === 0);
        expect(answer.status).toBe(200);
        expect(answer.body.equals(body)).toBe(true);
      }
    } finally {
      agent.destroy();
    }
  });

  it('returns an array of its own, not a view of the socket\'s read buffer, also for a body in one chunk', async () => {
    const bodies: Uint8Array[] = [];
    server = createServer((request: IncomingMessage, response) => {
      void readBody(request, limit).then((body) => {
        bodies.push(body);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server?.address() as AddressInfo).port;
    const body = randomBytes(100);
    await post(port, new Agent(), [body], true);
    expect(bodies).toHaveLength(1);
    expect(Buffer.from(bodies[0] as Uint8Array).equals(body)).toBe(true);
    expect([bodies[0]?.byteOffset, bodies[0]?.buffer.byteLength]).toEqual([0, 100]);
  });

  it('refuses a body past the limit, declared or streamed without a length', async () => {
    const errors: unknown[] = [];
    const port = await echoServer((error) => errors.push(error));
    const declared = await post(port, new Agent(), [randomBytes(limit + 1)], true);
    expect(declared.status).toBe(413);
    // Streamed: the server destroys the request once the limit is passed, so the client may see the reset.
    await post(port, new Agent(), randomChunks(randomBytes(3 * limit)), false).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toHaveLength(2);
    expect(errors.every((error) => error instanceof BodyTooLarge)).toBe(true);
  });

  it('rejects with the stream error when the client goes away mid-body', async () => {
    const errors: unknown[] = [];
    const port = await echoServer((error) => errors.push(error));
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789');
      setTimeout(() => socket.destroy(), 50);
    });
    for (let i = 0; i < 40 && errors.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(errors).toHaveLength(1);
    expect(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE']).toContain((errors[0] as NodeJS.ErrnoException).code);
  });
});
