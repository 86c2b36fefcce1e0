// `zkesim smdp serve --workers N`: N SM-DP+ processes on one machine sharing the listening sockets (node:cluster;
// the primary hands connections to the workers in turn). They can share the work only when they share the
// store and the download sessions, so N > 1 needs `storage.kind: postgres` (sessions in the database, any
// process serves any call of a download); with SQLite every process would keep its own sessions in memory and a
// download's calls landing on different processes would fail, so it is refused. A worker that dies is replaced.
// Each response names the worker that made it (`X-Zkesim-Worker`, cluster's worker id, not its pid), for
// tracing a download across processes.
import cluster, { type Worker } from 'node:cluster';
import type { SmdpConfig } from './config.js';
import { startSmdpServer, type RunningSmdp } from './main.js';

/** The response header naming the worker process that answered. */
export const WORKER_HEADER = 'x-zkesim-worker';

export class WorkersRefused extends Error {
  override readonly name = 'WorkersRefused';
}

/** Refuses a worker count the store cannot serve (see the file comment). */
export function checkWorkers(config: SmdpConfig, workers: number): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new WorkersRefused(`--workers must be a whole number from 1 to 256, not ${workers}`);
  if (workers > 1 && config.storage.kind !== 'postgres') {
    throw new WorkersRefused(
      `--workers ${workers} needs storage.kind postgres: with ${config.storage.kind} each process keeps its own download sessions in memory, ` +
        'so a download whose calls reach different processes would fail (README, "Many processes")',
    );
  }
}

interface ListeningMessage {
  type: 'zkesim-smdp-listening';
  es9Urls: string[];
  es2Url: string;
  adminUrl: string | undefined;
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'zkesim-smdp-listening';
}

/** In a worker: serves until the primary disconnects it or a signal stops it. */
async function runWorker(config: SmdpConfig): Promise<void> {
  const running: RunningSmdp = await startSmdpServer(config);
  const id = String(cluster.worker?.id ?? process.pid);
  for (const server of running.httpServers) server.prependListener('request', (_request, response) => response.setHeader(WORKER_HEADER, id));
  const message: ListeningMessage = { type: 'zkesim-smdp-listening', es9Urls: running.es9Urls, es2Url: running.es2Url, adminUrl: running.adminUrl };
  process.send?.(message);
  await new Promise<void>((resolveStop) => {
    process.once('SIGTERM', () => resolveStop());
    // Ctrl-C reaches the whole process group: the primary stops the workers (SIGTERM), so that it does not
    // take their ending for a crash and start new ones.
    process.on('SIGINT', () => undefined);
    process.once('disconnect', () => resolveStop());
  });
  await running.close();
  process.exit(0);
}

/**
 * Runs `workers` SM-DP+ processes (the primary only supervises). Resolves with the first worker's URLs once
 * every worker listens, and a `stop` that ends them all.
 */
export async function serveWorkers(
  config: SmdpConfig,
  workers: number,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<{ urls: Omit<ListeningMessage, 'type'>; stop(): Promise<void> } | undefined> {
  checkWorkers(config, workers);
  if (cluster.isWorker) {
    await runWorker(config);
    return undefined;
  }
  let stopping = false;
  const live = new Set<Worker>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      log(`SM-DP+ worker ${worker.id} (pid ${worker.process.pid}) ended (${signal ?? `exit ${code}`}); starting another`);
      fork();
    });
    return worker;
  };
  // The first worker alone, then the others: on an empty store the first start imports the initial inventory
  // (profilesDirectory), which two processes must not do at once.
  const listening = (worker: Worker): Promise<ListeningMessage> =>
    new Promise((resolveUrls, reject) => {
      worker.on('message', (message: unknown) => {
        if (isListening(message)) resolveUrls(message);
      });
      worker.once('exit', (code, signal) => reject(new Error(`SM-DP+ worker ${worker.id} ended before listening (${signal ?? `exit ${code}`})`)));
    });
  let first: ListeningMessage;
  try {
    first = await listening(fork());
    await Promise.all(Array.from({ length: workers - 1 }, () => listening(fork())));
  } catch (error) {
    stopping = true;
    for (const worker of live) worker.process.kill('SIGTERM');
    throw error;
  }
  return {
    urls: { es9Urls: first.es9Urls, es2Url: first.es2Url, adminUrl: first.adminUrl },
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...live].map(
          (worker) =>
            new Promise<void>((resolveExit) => {
              worker.once('exit', () => resolveExit());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
