// The plans API over HTTPS (plansApi.ts is the logic): the operator component's own listener on 127.0.0.1, its
// own TLS credential (webServerTls.ts of the stack), its own store (plansStore.ts). `npm start` runs it and writes where it is
// to <data>/operator/plans-api.json, where `zkesim lpa ui` finds it.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { BodyTooLarge, readBody } from '@zkesim/rsp-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseSemaphoreProof, releaseProver, verifyIdentityProof } from '@zkesim/contracts';
import { createPlansApi } from './plansApi.js';
import type { PlansStore } from './plansStore.js';
import type { WebServerTls } from '../../stack/webServerTls.js';

export const PLANS_API_FILE = 'plans-api.json';
/** A request body larger than this is refused (the largest request, a proof, is about 1.5 KiB). */
const MAX_BODY_BYTES = 16 * 1024;

export interface RunningPlansApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where a running stack's plans API is (written by startPlansApi), or undefined. */
export function readPlansApiFile(operatorDir: string): { url: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(operatorDir, PLANS_API_FILE), 'utf8')) as { url?: unknown };
    return typeof parsed.url === 'string' ? { url: parsed.url } : undefined;
  } catch {
    return undefined;
  }
}

export async function startPlansApi(options: { store: PlansStore; tls: WebServerTls; port: number; operatorDir: string; now?: () => number }): Promise<RunningPlansApi> {
  const api = createPlansApi({
    store: options.store,
    now: options.now ?? Date.now,
    randomHex: (bytes) => randomBytes(bytes).toString('hex'),
    parseProof: (json) => parseSemaphoreProof(JSON.stringify(json)),
    verifyProof: verifyIdentityProof,
  });
  const server: Server = createServer({ cert: readFileSync(options.tls.certificate), key: readFileSync(options.tls.key) }, (request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const path = new URL(request.url ?? '/', 'https://localhost').pathname;
    readBody(request, MAX_BODY_BYTES)
      .then(async (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        let body: unknown = null;
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            answer(400, { error: { message: 'the body is not JSON' } });
            return;
          }
        }
        const result = await api.handle(request.method ?? 'GET', path, body);
        answer(result.status, result.body);
      })
      .catch((error: unknown) => answer(error instanceof BodyTooLarge ? 413 : 500, { error: { message: error instanceof BodyTooLarge ? 'request too large' : 'internal error' } }));
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}`;
  writeFileSync(join(options.operatorDir, PLANS_API_FILE), `${JSON.stringify({ url })}\n`, { mode: 0o600 });
  return {
    url,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await releaseProver();
    },
  };
}
