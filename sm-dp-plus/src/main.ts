// Production wiring of the SM-DP+: storage, clock, randomness, logging, metrics, the ES9+ and ES2+
// HTTPS listeners and the operator outbox. Everything else receives what it needs from here.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { DestinationStream } from 'pino';
import type { SmdpConfig } from './config.js';
import type { Clock, CoreDeps, OrderPolicy, RandomSource } from './core/deps.js';
import { systemClock } from './adapters/clock.js';
import { systemRandom } from './adapters/random.js';
import { createLogger } from './adapters/logger.js';
import { SqliteRepository } from './adapters/storage/sqliteRepository.js';
import { ConcurrencyLimit } from './adapters/http/concurrencyLimit.js';
import { es2plusRoutes } from './adapters/http/es2plusRoutes.js';
import { createMetrics, type SmdpMetrics } from './adapters/http/metrics.js';
import { createOperatorIdentifier, operatorCaPems } from './adapters/http/operatorAuth.js';
import { OutboxWorker } from './adapters/http/outboxWorker.js';
import { createRequestListener, type HttpRoute, type RouteResult } from './adapters/http/requestListener.js';
import { certificatePem, privateKeyPem, serverTlsOptions } from './adapters/http/tlsFiles.js';
import { importProfiles } from './inventory/importProfiles.js';
import { readTemplateFiles } from './inventory/templateFiles.js';
import { buildEs9plus, type Es9plusHooks, type Es9plusWiring } from './es9plusWiring.js';

export interface SmdpOverrides {
  clock?: Clock;
  random?: RandomSource;
  logDestination?: DestinationStream;
  /** ES9+ hooks: fixed one-time keys for tests, the install-result listener for the chain anchor. */
  hooks?: Es9plusHooks;
}

export interface RunningSmdp {
  /** Base URL of the first ES9+ listener (https://127.0.0.1:port). */
  es9Url: string;
  es9Urls: string[];
  /** Base URL of the ES2+ listener (the first ES9+ one in shared mode). */
  es2Url: string;
  repository: SqliteRepository;
  outbox: OutboxWorker;
  metrics: SmdpMetrics;
  es9plus: Es9plusWiring;
  close(): Promise<void>;
}

export async function startSmdpServer(config: SmdpConfig, overrides: SmdpOverrides = {}): Promise<RunningSmdp> {
  const logger = createLogger(config.logLevel, overrides.logDestination);
  if (config.databasePath !== ':memory:') mkdirSync(dirname(config.databasePath), { recursive: true });
  const repository = new SqliteRepository({ path: config.databasePath });
  const deps: CoreDeps = { clock: overrides.clock ?? systemClock, random: overrides.random ?? systemRandom, repository, logger };
  const policy: OrderPolicy = {
    smdpAddress: config.address,
    orderLifetimeMs: config.orders.lifetimeMs,
    confirmationCodeMaxAttempts: config.orders.confirmationCodeMaxAttempts,
    downloadMaxAttempts: config.orders.downloadMaxAttempts,
  };
  await ensureInventory(config, deps, logger);
  const metrics = createMetrics({ defaultMetrics: config.metrics });
  const es9plus = buildEs9plus(config, deps, policy, metrics, overrides.hooks);
  const es2Routes = es2plusRoutes(deps, policy);
  const operators = config.es2.operators.map((operator) => ({
    ...operator,
    ...(operator.caCertificate === undefined ? {} : { caCertificate: certificatePem(operator.caCertificate) }),
  }));
  const identifyOperator = createOperatorIdentifier(operators, deps.clock);
  const clientCa = operatorCaPems(operators);
  const listenerBase = {
    maxBodyBytes: config.limits.maxBodyBytes,
    concurrency: new ConcurrencyLimit(config.limits.maxConcurrentPerAddress),
    metrics,
    logger,
    identifyOperator,
    getEndpoints: adminEndpoints(config, repository, metrics),
  };
  const servers: Server[] = [];
  const es9Urls: string[] = [];
  for (const [index, endpoint] of config.es9.entries()) {
    const shared = config.es2.mode === 'shared' && index === 0;
    const routes = new Map<string, HttpRoute>([...es9plus.routes, ...(shared ? es2Routes : [])]);
    const server = createServer(
      {
        ...serverTlsOptions(endpoint.tlsCertificate, endpoint.tlsKey, endpoint.tlsChain),
        ...(shared ? { requestCert: true, rejectUnauthorized: false, ...(clientCa.length > 0 ? { ca: clientCa } : {}) } : {}),
      },
      createRequestListener({ ...listenerBase, routes }),
    );
    es9Urls.push(await listen(server, config.host, endpoint.port));
    servers.push(server);
  }
  let es2Url = es9Urls[0] as string;
  if (config.es2.mode === 'port') {
    const first = config.es9[0];
    const certPath = config.es2.tlsCertificate ?? first?.tlsCertificate ?? '';
    const keyPath = config.es2.tlsKey ?? first?.tlsKey ?? '';
    const server = createServer(
      {
        ...serverTlsOptions(certPath, keyPath),
        // Client certificates are checked per request (operatorAuth.ts): OpenSSL verifies chained ones against
        // the operator CAs, pinned ones are matched by fingerprint, so the handshake itself must not refuse.
        requestCert: true,
        rejectUnauthorized: false,
        ...(clientCa.length > 0 ? { ca: clientCa } : {}),
      },
      createRequestListener({ ...listenerBase, routes: es2Routes }),
    );
    es2Url = await listen(server, config.host, config.es2.port);
    servers.push(server);
  }
  const outbox = new OutboxWorker({
    repository,
    clock: deps.clock,
    random: deps.random,
    logger,
    tls: {
      ...(config.es2.clientCertificate === undefined ? {} : { cert: certificatePem(config.es2.clientCertificate) }),
      ...(config.es2.clientKey === undefined ? {} : { key: privateKeyPem(config.es2.clientKey) }),
      ...(config.es2.callbackCa.length > 0 ? { ca: config.es2.callbackCa.map(certificatePem) } : {}),
    },
    pollIntervalMs: config.outbox.pollIntervalMs,
    baseDelayMs: config.outbox.baseDelayMs,
    maxDelayMs: config.outbox.maxDelayMs,
    requestTimeoutMs: config.outbox.requestTimeoutMs,
    batchSize: 50,
    onPending: (count) => metrics.outboxPending.set(count),
  });
  outbox.start();
  logger.info({ es9Urls, es2Url, address: config.address }, 'SM-DP+ listening');
  return {
    es9Url: es9Urls[0] as string,
    es9Urls,
    es2Url,
    repository,
    outbox,
    metrics,
    es9plus,
    close: async () => {
      await outbox.stop();
      es9plus.close();
      await Promise.all(servers.map((server) => closeServer(server)));
      await repository.close();
    },
  };
}

/** First start: the bundled templates become the demo inventory (issue item 3). */
async function ensureInventory(config: SmdpConfig, deps: CoreDeps, logger: CoreDeps['logger']): Promise<void> {
  if (config.profilesPerTemplate === 0) return;
  const types = await deps.repository.transaction((tx) => tx.listProfileTypes());
  if (types.length > 0) return;
  const results = await importProfiles(deps, readTemplateFiles(config.profilesDirectory), config.profilesPerTemplate);
  logger.info({ profileTypes: results.map((r) => r.profileType), perType: config.profilesPerTemplate }, 'demo inventory imported');
}

function adminEndpoints(config: SmdpConfig, repository: SqliteRepository, metrics: SmdpMetrics): Map<string, () => Promise<RouteResult>> {
  const endpoints = new Map<string, () => Promise<RouteResult>>();
  endpoints.set('/healthz', async () => {
    const available = await repository.transaction((tx) => tx.countProfiles('available'));
    return { status: 200, body: JSON.stringify({ status: 'ok', schemaVersion: repository.schemaVersion(), availableProfiles: available }) };
  });
  if (config.metrics) {
    endpoints.set('/metrics', async () => ({ status: 200, body: await metrics.registry.metrics(), contentType: metrics.registry.contentType }));
  }
  return endpoints;
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`https://${host}:${address.port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}

export { certificatePem, privateKeyPem };
