// An HTTPS proxy in front of the stack's SM-DP+ on another loopback address (127.0.0.2, same port), with
// the SM-DP+'s own DPtls certificate: it forwards every request, but holds back the answers to the paths
// it is told to delay. The LPA reaches it through `resolve: { localhost: '127.0.0.2' }`, so the SM-DP+
// address (and the certificate check) stay exactly those of the real server.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { RunningStack } from '@zkesim/apps';

export interface DelayingProxy {
  readonly host: string;
  close(): Promise<void>;
}

export async function startDelayingProxy(stack: RunningStack, ciPem: string, delayedPaths: readonly string[], delayMs: number): Promise<DelayingProxy> {
  const h = stack.pki.nist;
  const port = Number(stack.smdpAddress.split(':')[1]);
  const server: Server = createServer(
    { cert: readFileSync(h.dptls.certificatePath.replace(/\.der$/, '.pem')), key: readFileSync(h.dptls.keyPath) },
    (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const forward = request(
          { host: '127.0.0.1', port, path: incoming.url, method: incoming.method, headers: incoming.headers, ca: ciPem, servername: 'localhost' },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              const send = () => {
                outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
                outgoing.end(Buffer.concat(body));
              };
              if (delayedPaths.includes(incoming.url ?? '')) setTimeout(send, delayMs).unref();
              else send();
            });
          },
        );
        forward.on('error', (error) => outgoing.destroy(error));
        forward.end(Buffer.concat(chunks));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.2', () => resolve());
  });
  return {
    host: '127.0.0.2',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
