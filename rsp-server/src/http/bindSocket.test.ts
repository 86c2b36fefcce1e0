// bindSocket and listen's takeover: a port bound before its server exists is held from that moment (nobody
// else can bind it), the server configured on it serves that very socket, and closing the server frees it.
import { createServer, get, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bindSocket, closeServer, listen } from './listen.js';

const bindError = (port: number) =>
  new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const other = createNetServer();
    other.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    other.listen(port, '127.0.0.1', () => other.close(() => resolve(undefined)));
  });

const body = (url: string) =>
  new Promise<string>((resolve, reject) => {
    get(url, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
    }).once('error', reject);
  });

const helloServer = (): Server => createServer((_request, response) => response.end('hello'));

describe('bindSocket', () => {
  it('holds the port until its server takes the socket over, which serves it; closing that server frees the port', async () => {
    const bound = await bindSocket('127.0.0.1');
    expect((await bindError(bound.port))?.code).toBe('EADDRINUSE');
    const server = helloServer();
    const url = await listen(server, '127.0.0.1', bound.port, 'http', new Map([[bound.port, bound.socket]]));
    expect(url).toBe(`http://127.0.0.1:${bound.port}`);
    expect(await body(`${url}/`)).toBe('hello');
    await closeServer(server);
    await bound.close();
    expect(await bindError(bound.port)).toBeUndefined();
  });

  it('frees the port on close when no server took it over', async () => {
    const bound = await bindSocket('127.0.0.1');
    await bound.close();
    expect(await bindError(bound.port)).toBeUndefined();
  });

  it('releases a socket bound on another address than the server is configured on and binds the port there', async () => {
    const bound = await bindSocket('127.0.0.1');
    const server = helloServer();
    try {
      const url = await listen(server, '127.0.0.2', bound.port, 'http', new Map([[bound.port, bound.socket]]));
      expect(url).toBe(`http://127.0.0.2:${bound.port}`);
      expect(await body(`${url}/`)).toBe('hello');
      expect(await bindError(bound.port)).toBeUndefined();
    } finally {
      await closeServer(server);
      await bound.close();
    }
  });

  it('binds a port itself when the port has no socket bound for it', async () => {
    const server = helloServer();
    const url = await listen(server, '127.0.0.1', 0, 'http', new Map());
    expect(await body(`${url}/`)).toBe('hello');
    await closeServer(server);
  });
});
