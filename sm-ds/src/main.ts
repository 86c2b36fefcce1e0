// Production wiring of the SM-DS: event store, clock, randomness, logging, metrics, its two HTTPS ports (ES11
// for LPAs; ES12 for SM-DP+s and ES15 for Alternative SM-DSs, mutually authenticated at the handshake), the
// expiry sweep and, on an Alternative SM-DS, the client of the Root SM-DS. Everything else receives what it
// needs from here; the HTTP plumbing, the session table and the eUICC authentication are rsp-server's.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { fromPem, loadEntity, parseCrl, readCertificateFile, subjectKeyIdentifierOf, type RspCrl } from '@zkesim/pki';
import type { Clock, RandomSource } from '@zkesim/protocol';
import {
  CertificateCache, ConcurrencyLimit, adminEndpoints, certificatePem, closeServer, createLogger, createServerMetrics, privateKeyPem, serverTlsOptions,
  startAdminServer, startHttpsServer, systemClock, systemRandom, type BoundSockets,
} from '@zkesim/rsp-server';
import { smdsConfigError, type SmdsConfig } from './config.js';
import type { EventPolicy, SmdsDeps } from './core/deps.js';
import type { EventStore, Registrant } from './core/eventStore.js';
import { rootSmdsClient } from './adapters/rootSmdsClient.js';
import { createPeerIdentifier } from './adapters/http/peerServers.js';
import { smdsRoutes } from './adapters/http/routes.js';
import { Es11SessionTable, type Es11Context, type SmdsCredential } from './es11/context.js';
import { expireEvents } from './es12/events.js';
import { openEventStore } from './storage/openEventStore.js';

export interface SmdsOverrides {
  clock?: Clock;
  random?: RandomSource;
  logDestination?: DestinationStream;
  /** Sockets bound before the configuration naming their ports was made (rsp-server `bindSocket`): served, not bound again. */
  boundSockets?: BoundSockets;
}

export interface RunningSmds {
  /** Base URL of the ES11 port (https://127.0.0.1:port). */
  url: string;
  /** Base URL of the ES12/ES15 port (mutual TLS). */
  peerUrl: string;
  peerPort: number;
  /** Base URL of the admin listener (/healthz, /metrics), when enabled. */
  adminUrl: string | undefined;
  port: number;
  store: EventStore;
  /** Deletes the events expired now (the periodic sweep runs the same). */
  expireEvents(): Promise<number>;
  close(): Promise<void>;
}

function loadCredential(config: SmdsConfig, index: number): SmdsCredential {
  const entry = config.credentials[index] as SmdsConfig['credentials'][number];
  const ci = readCertificateFile(entry.ciCertificate);
  const ciKeyId = subjectKeyIdentifierOf(ci);
  if (ciKeyId === undefined) throw smdsConfigError(config, `credentials[${index}].ciCertificate`, 'the CI certificate has no SubjectKeyIdentifier');
  return { ci, ciKeyId, dsAuth: loadEntity(entry.dsAuthCertificate, entry.dsAuthKey) };
}

function loadCrls(config: SmdsConfig): RspCrl[] {
  return config.crls.map((path, index) => {
    const bytes = readFileSync(path);
    const [der] = bytes.toString('latin1').includes('-----BEGIN') ? fromPem(bytes.toString('utf8'), 'X509 CRL') : [bytes];
    if (der === undefined) throw smdsConfigError(config, `crls[${index}]`, `${path} holds no CRL`);
    return parseCrl(der);
  });
}

export async function startSmdsServer(config: SmdsConfig, overrides: SmdsOverrides = {}): Promise<RunningSmds> {
  const logger = createLogger('sm-ds', config.logLevel, overrides.logDestination);
  const store = await openEventStore(config.storage);
  try {
    return await startOn(store, config, overrides, logger);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function startOn(store: EventStore, config: SmdsConfig, overrides: SmdsOverrides, logger: SmdsDeps['logger']): Promise<RunningSmds> {
  const deps: SmdsDeps = { clock: overrides.clock ?? systemClock, random: overrides.random ?? systemRandom, logger, store };
  const crls = loadCrls(config);
  const clientCis = config.clientCis.map((path) => readCertificateFile(path));
  const tlsCertificate = certificatePem(config.tlsCertificate);
  const tlsKey = privateKeyPem(config.tlsKey);
  const policy: EventPolicy = {
    address: config.address,
    eventLifetimeMs: config.events.lifetimeMs,
    ...(config.rootSmds === undefined
      ? {}
      : {
          root: rootSmdsClient({
            address: config.rootSmds.address,
            tls: { cert: tlsCertificate, key: tlsKey, ca: (config.rootSmds.ca ?? config.clientCis).map(certificatePem) },
            requestTimeoutMs: config.rootSmds.requestTimeoutMs,
            requester: config.address,
          }),
        }),
  };
  const sessions = new Es11SessionTable(config.limits.maxSessions, config.limits.sessionLifetimeMs, config.limits.sessionsPerAddress);
  const es11: Es11Context = {
    deps,
    address: config.address,
    credentials: config.credentials.map((_, index) => loadCredential(config, index)),
    crls,
    eumCertificates: new CertificateCache(),
    sessions,
  };
  const metrics = createServerMetrics({
    prefix: 'smds',
    defaultMetrics: config.metrics,
    sessionsHelp: 'Open ES11 sessions',
    outboxHelp: 'Unused by the SM-DS (it keeps no outbox)',
  });
  const routes = smdsRoutes(es11, deps, policy);
  const listener = {
    routes: routes.es11,
    maxBodyBytes: config.limits.maxBodyBytes,
    concurrency: new ConcurrencyLimit(config.limits.maxConcurrentPerAddress),
    metrics,
    logger,
  };
  const connections = Object.fromEntries(Object.entries(config.connections).filter(([, value]) => value !== undefined));
  const tls = serverTlsOptions(config.tlsCertificate, config.tlsKey, config.tlsChain);
  // SGP.22 §2.6.6: LPAs (ES11) present no certificate, SM-DP+s (ES12) and SM-DSs (ES15) do. ES11 is served
  // without a certificate request; ES12/ES15 on their own port, whose handshake requires a client certificate
  // chaining to one of the configured CIs; the peer identifier then applies pki's chain rules for the
  // DPtls/DStls role, with the CRLs, and the routes the role of the interface.
  const boundSockets = overrides.boundSockets;
  const { server, url } = await startHttpsServer<Registrant>({ host: config.host, port: config.port, tls, listener, connections, boundSockets });
  let peers: Awaited<ReturnType<typeof startHttpsServer>>;
  try {
    peers = await startHttpsServer<Registrant>({
      host: config.host,
      port: config.peerPort,
      tls,
      clientCertificates: {
        identify: createPeerIdentifier({ cis: clientCis, crls, clock: deps.clock }),
        ca: clientCis.map((ci) => new X509Certificate(ci.der).toString()),
      },
      listener: { ...listener, routes: routes.peers },
      connections,
      boundSockets,
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  let admin: Awaited<ReturnType<typeof startAdminServer>> | undefined;
  try {
    admin = config.admin.enabled
      ? await startAdminServer({
          host: config.admin.host,
          port: config.admin.port,
          listener: {
            ...listener,
            routes: new Map(),
            getEndpoints: adminEndpoints({
              health: async () => ({ ...(await store.health()), events: await store.transaction((tx) => tx.countEvents()) }),
              ...(config.metrics ? { metrics } : {}),
            }),
          },
          connections,
          boundSockets,
        })
      : undefined;
  } catch (error) {
    await Promise.all([closeServer(server), closeServer(peers.server)]);
    throw error;
  }
  const sweep = (): Promise<number> => expireEvents(deps, policy);
  const sweeper = setInterval(() => {
    sessions.sweep(deps.clock.now());
    metrics.sessions.set(sessions.size);
    sweep().catch((error: unknown) => logger.error({ function: 'expireEvents', error: String(error) }, 'event expiry sweep failed'));
  }, config.events.sweepIntervalMs);
  sweeper.unref();
  logger.info({ url, peerUrl: peers.url, adminUrl: admin?.url, address: config.address, root: config.rootSmds?.address }, 'SM-DS listening');
  return {
    url,
    port: Number(new URL(url).port),
    peerUrl: peers.url,
    peerPort: Number(new URL(peers.url).port),
    adminUrl: admin?.url,
    store,
    expireEvents: sweep,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([closeServer(server), closeServer(peers.server)]);
      if (admin !== undefined) await closeServer(admin.server);
      await store.close();
    },
  };
}
