// The operator's HTTPS server receiving ES2+.HandleDownloadProgressInfo over mutual TLS (test side).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './testPki.js';

export interface ReceivedCallback {
  path: string;
  body: Record<string, unknown>;
  clientCommonName: string;
}

export interface CallbackServer {
  url: string;
  /** host:port, usable as an SM-DS address. */
  address: string;
  received: ReceivedCallback[];
  /** Answer 503 to this many requests first (to exercise retries). */
  failNext: number;
  close(): Promise<void>;
}

export async function startCallbackServer(pki: TestPki): Promise<CallbackServer> {
  const state = { received: [] as ReceivedCallback[], failNext: 0 };
  const server: Server = createServer(
    { cert: readFileSync(pki.callbackCert), key: readFileSync(pki.callbackKey), ca: readFileSync(pki.operatorCa), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (state.failNext > 0) {
          state.failNext -= 1;
          res.statusCode = 503;
          res.end();
          return;
        }
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        state.received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, clientCommonName: String(peer.subject?.CN) });
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ header: { functionExecutionStatus: { status: 'Executed-Success' } } }));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/gsma/rsp2/es2plus/handleDownloadProgressInfo`,
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get received() {
      return state.received;
    },
    get failNext() {
      return state.failNext;
    },
    set failNext(value: number) {
      state.failNext = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
