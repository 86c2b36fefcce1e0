// A client that goes away in the middle of its request is the client's business, not a server error: the
// request listener logs it at info level, and nothing at error level.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { createServerMetrics } from './metrics.js';
import { createRequestListener } from './requestListener.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

describe('a client abort', () => {
  it('is logged as info, not as an error', async () => {
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const route = { interface: 'es9plus', function: 'initiateAuthentication', requiresClient: false, handle: async () => ({ status: 200, body: '{}' }) };
    const listener = createRequestListener({
      routes: new Map([['/gsma/rsp2/es9plus/initiateAuthentication', route]]),
      maxBodyBytes: 64 * 1024,
      concurrency: new ConcurrencyLimit(4),
      metrics: createServerMetrics({ prefix: 'test', defaultMetrics: false, sessionsHelp: 's', outboxHelp: 'o' }),
      logger: createLogger('sm-dp-plus', 'info', destination),
    });
    const handled = new Promise<void>((resolve) => {
      server = createServer((request, response) => {
        response.on('close', () => setTimeout(resolve, 50));
        listener(request, response);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server?.address() as AddressInfo;
    // Headers promise 1000 bytes; 10 arrive, then the connection is gone.
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /gsma/rsp2/es9plus/initiateAuthentication HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":12345');
      setTimeout(() => socket.destroy(), 50);
    });
    await handled;
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.level === 30 && /client closed the connection/.test(line.msg))).toBe(true);
  });
});
