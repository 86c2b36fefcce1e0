// Production wiring of the SM-DP+: storage, clock, randomness, logging, metrics, the ES9+ and ES2+
// HTTPS listeners and the admin listener, the operator outbox and the anchor drain. Everything else receives what it needs from here.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { BoundSockets } from '@zkesim/rsp-server';
import type { OperatorTrust } from './adapters/http/operatorAuth.js';
import { checkConfigFiles } from './configValidation.js';
import type { DestinationStream } from 'pino';
import { orderPolicyOf, smdpConfigError, type OperatorConfig, type SmdpConfig } from './config.js';
import type { Clock, RandomSource } from '@zkesim/protocol';
import type { CoreDeps } from './core/deps.js';
import type { SmdpRepository, StorageHealth } from './core/repository.js';
import { openRepository } from './storage/openRepository.js';
import type { SecretSealer } from './core/secretSealer.js';
import { loadSealer, secretsOf } from './adapters/secrets/keyEncryptionKey.js';
import { es2plusRoutes } from './adapters/http/es2plusRoutes.js';
import { createMetrics, type SmdpMetrics } from './adapters/http/metrics.js';
import { closeServer, startListeners, type Listeners } from './adapters/http/listeners.js';
import {
  ConcurrencyLimit, OutboxWorker, adminEndpoints, postToPeer, type PeerTls, certificatePem, createLogger, privateKeyPem, systemClock, systemRandom,
} from '@zkesim/rsp-server';
import { importProfiles } from './inventory/importProfiles.js';
import { readTemplateFiles } from './inventory/templateFiles.js';
import { buildEs9plus, type Es9plusHooks, type Es9plusWiring } from './es9plusWiring.js';
import { openSigningKeys } from './adapters/signing/signingKeys.js';
import { es12Endpoint } from './es12/es12Endpoints.js';
import { AnchorDrain, activityTagsOf, anchorRecordOf } from './adapters/chainAnchor.js';
import { onboardingRoutes } from './onboarding/onboardingRoute.js';
import { operatorApiRoutes } from './operatorApi/operatorApiRoute.js';
import { openOnboardingStore, type OnboardingStore } from './onboarding/onboardingStore.js';
import type { SubscriberChain } from './onboarding/onboardSubscriber.js';

export interface SmdpOverrides {
  clock?: Clock;
  random?: RandomSource;
  logDestination?: DestinationStream;
  /** Seals the store's secrets; default AES-256-GCM under the configured key-encryption key (`secrets`). */
  sealer?: SecretSealer;
  /** ES9+ hooks: fixed one-time keys for tests, install-result listeners. */
  hooks?: Es9plusHooks;
  /**
   * When the anchor drain runs (with `anchor.enabled`): at start, every `intervalMs` (default
   * `outbox.pollIntervalMs`) and, unless `afterEachResult` is false, right after each installation result.
   * Tests set these to hold records in the SM-DP+'s store.
   */
  anchorDrain?: { intervalMs?: number; afterEachResult?: boolean };
  /**
   * The operator onboarding API (ZK identity layer), served on the ES2+ listener: the chain it onboards
   * subscribers on, its link store's file and the key of the KYC reference hash. None: not served.
   */
  onboarding?: { chain: SubscriberChain; storePath: string; referenceKey: Uint8Array };
  /** Sockets bound before the configuration naming their ports was made (rsp-server `bindSocket`): served, not bound again. */
  boundSockets?: BoundSockets;
}

export interface RunningSmdp {
  /** Base URL of the first ES9+ listener (https://127.0.0.1:port). */
  es9Url: string;
  es9Urls: string[];
  /** Base URL of the ES2+ listener (its own port, mutual TLS). */
  es2Url: string;
  /** Base URL of the admin listener (http://127.0.0.1:port: /healthz, /metrics), unless `admin.enabled` is false. */
  adminUrl: string | undefined;
  repository: SmdpRepository;
  outbox: OutboxWorker;
  metrics: SmdpMetrics;
  es9plus: Es9plusWiring;
  /** The drain of anchor records into the chain layer's outbox, when `anchor.enabled`. */
  anchor: AnchorDrain | undefined;
  /** The onboarding's link store (KYC reference hash → commitment, contract, order), when onboarding is served. */
  onboarding: OnboardingStore | undefined;
  /** The HTTP(S) servers of its listeners (ES9+, ES2+, admin). */
  httpServers: readonly Server[];
  close(): Promise<void>;
}

/** Chains the anchor drain's install-result hook before the caller's own. */
function withAnchor(hooks: Es9plusHooks, anchor: AnchorDrain | undefined): Es9plusHooks {
  if (anchor === undefined) return hooks;
  return {
    ...hooks,
    onInstallResult: (event) => {
      anchor.onInstallResult();
      hooks.onInstallResult?.(event);
    },
  };
}


export async function startSmdpServer(config: SmdpConfig, overrides: SmdpOverrides = {}): Promise<RunningSmdp> {
  checkConfigFiles(config, existsSync);
  const logger = createLogger('sm-dp-plus', config.logLevel, overrides.logDestination);
  const repository = await openRepository(config.storage, overrides.sealer ?? loadSealer(secretsOf(config), process.env), {
    // A PostgreSQL connection the server dropped while idle (a restart): the pool opens another when needed.
    onConnectionError: (error) => logger.warn({ error: error.message }, 'database connection lost'),
  });
  try {
    return await startOn(repository, config, overrides, logger);
  } catch (error) {
    await repository.close();
    throw error;
  }
}

async function startOn(repository: SmdpRepository, config: SmdpConfig, overrides: SmdpOverrides, logger: CoreDeps['logger']): Promise<RunningSmdp> {
  const tls = peerTls(config);
  const es12 = es12Endpoint(config.smdsPeers);
  const deps: CoreDeps = {
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? systemRandom,
    repository,
    logger,
    smds: (url, body) => postToPeer(es12(url), body, tls, config.outbox.requestTimeoutMs),
  };
  const policy = orderPolicyOf(config);
  await ensureInventory(config, deps, logger);
  const operators = config.es2.operators.map((_, index) => operatorTrust(config, index, logger));
  const anchor = config.anchor.enabled
    ? new AnchorDrain({
        store: repository,
        outboxDirectory: config.anchor.outboxDirectory,
        clock: deps.clock,
        logger,
        intervalMs: overrides.anchorDrain?.intervalMs ?? config.outbox.pollIntervalMs,
        ...(overrides.anchorDrain?.afterEachResult === undefined ? {} : { afterEachResult: overrides.anchorDrain.afterEachResult }),
      })
    : undefined;
  const metrics = createMetrics({ defaultMetrics: config.metrics, ...(anchor === undefined ? {} : { anchorBacklog: () => anchor.backlog() }) });
  // Opened before any listener: a wrong PIN or a missing key label stops the start (SECURITY.md, keys in an HSM).
  const signingKeys = openSigningKeys(config, process.env);
  const es9plus = buildEs9plus(config, deps, policy, metrics, signingKeys, withAnchor(overrides.hooks ?? {}, anchor), anchor === undefined ? undefined : anchorRecordOf, anchor === undefined ? undefined : activityTagsOf);
  const onboarding = overrides.onboarding === undefined ? undefined : openOnboardingStore(overrides.onboarding.storePath);
  const es2Routes = new Map([
    ...es2plusRoutes(deps, policy),
    ...(onboarding === undefined || overrides.onboarding === undefined
      ? []
      : onboardingRoutes({ core: deps, policy, chain: overrides.onboarding.chain, store: onboarding, referenceKey: overrides.onboarding.referenceKey })),
    ...operatorApiRoutes({ repository, clock: deps.clock, anchor: config.anchor }),
  ]);
  let listeners: Listeners;
  try {
    listeners = await startListeners(
      config,
      { es9: es9plus.routes, es2: es2Routes },
      {
        maxBodyBytes: config.limits.maxBodyBytes,
        concurrency: new ConcurrencyLimit(config.limits.maxConcurrentPerAddress),
        metrics,
        logger,
      },
      { trusts: operators, clock: deps.clock },
      adminEndpoints({ health: () => health(repository), ...(config.metrics ? { metrics } : {}) }),
      overrides.boundSockets,
    );
  } catch (error) {
    es9plus.close();
    onboarding?.close();
    await anchor?.close();
    throw error;
  }
  const outbox = createOutbox(config, deps, metrics);
  outbox.start();
  anchor?.start();
  logger.info({ es9Urls: listeners.es9Urls, es2Url: listeners.es2Url, adminUrl: listeners.adminUrl, address: config.address }, 'SM-DP+ listening');
  return {
    es9Url: listeners.es9Urls[0] as string,
    es9Urls: listeners.es9Urls,
    es2Url: listeners.es2Url,
    adminUrl: listeners.adminUrl,
    repository,
    outbox,
    metrics,
    es9plus,
    anchor,
    onboarding,
    httpServers: listeners.servers,
    close: async () => {
      await outbox.stop();
      es9plus.close();
      await Promise.all(listeners.servers.map(closeServer));
      onboarding?.close();
      await anchor?.close();
      await repository.close();
    },
  };
}

/** This SM-DP+'s TLS client identity towards operators and SM-DSs, and the anchors it trusts them with (§2.6.6). */
function peerTls(config: SmdpConfig): PeerTls {
  return {
    ...(config.es2.clientCertificate === undefined ? {} : { cert: certificatePem(config.es2.clientCertificate) }),
    ...(config.es2.clientKey === undefined ? {} : { key: privateKeyPem(config.es2.clientKey) }),
    ...(config.es2.callbackCa.length > 0 ? { ca: config.es2.callbackCa.map(certificatePem) } : {}),
  };
}

/**
 * A configured operator as a client trust: pinned certificate files become SHA-256 fingerprints, and a
 * self-signed one is its own issuer for the handshake. An entry accepting every certificate of its CA
 * (allowed only with `anyCertificateOfCa: true`) is warned about.
 */
function operatorTrust(config: SmdpConfig, index: number, logger: CoreDeps['logger']): OperatorTrust {
  const operator = config.es2.operators[index] as OperatorConfig;
  const { pinnedCertificates, anyCertificateOfCa, caCertificate, pinnedFingerprints, pinnedIssuers, ...rest } = operator;
  if (caCertificate !== undefined && operator.commonName === undefined && anyCertificateOfCa === true) {
    logger.warn(
      { operatorId: operator.operatorId, caCertificate },
      'ES2+ operator accepts every client certificate its CA issues (anyCertificateOfCa): pin its own certificate instead',
    );
  }
  const files = (pinnedCertificates ?? []).map((file) => new X509Certificate(readFileSync(file)));
  const pins = [...(pinnedFingerprints ?? []), ...files.map((certificate) => certificate.fingerprint256)];
  // A self-signed pinned certificate is its own anchor (X509Certificate.checkIssued also wants keyCertSign,
  // which a leaf lacks, so subject, issuer and signature are compared here).
  const selfSigned = files.filter((certificate) => certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey));
  const issuers = [...(pinnedIssuers ?? []).map(certificatePem), ...selfSigned.map((certificate) => certificate.toString())];
  if (pins.length > 0 && issuers.length === 0) {
    throw smdpConfigError(
      config,
      `es2.operators[${index}].pinnedIssuers`,
      'the pinned certificates are not self-signed and no pinnedIssuers are given: mutual TLS is enforced at the TLS handshake, which must chain the pinned certificate to a configured CA; list its issuer (up to the root)',
    );
  }
  return {
    ...rest,
    ...(caCertificate === undefined ? {} : { caCertificate: certificatePem(caCertificate) }),
    ...(pins.length === 0 ? {} : { pinnedFingerprints: pins, pinnedIssuers: issuers }),
  };
}

/** The ES2+ HandleDownloadProgressInfo sender, presenting the SM-DP+'s client certificate (§2.6.6). */
function createOutbox(config: SmdpConfig, deps: CoreDeps, metrics: SmdpMetrics): OutboxWorker {
  return new OutboxWorker({
    repository: deps.repository,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    tls: peerTls(config),
    pollIntervalMs: config.outbox.pollIntervalMs,
    baseDelayMs: config.outbox.baseDelayMs,
    maxDelayMs: config.outbox.maxDelayMs,
    requestTimeoutMs: config.outbox.requestTimeoutMs,
    maxAttempts: config.outbox.maxAttempts,
    batchSize: 50,
    onPending: (count) => metrics.outboxPending.set(count),
    onDead: (count) => metrics.outboxDead.set(count),
    // ES12 DeleteEvent entries are queued for the SM-DS address and sent to its ES12 endpoint.
    route: es12Endpoint(config.smdsPeers),
  });
}

/** First start: the configured templates (if any) become the initial inventory. */
async function ensureInventory(config: SmdpConfig, deps: CoreDeps, logger: CoreDeps['logger']): Promise<void> {
  if (config.profilesDirectory === undefined || config.profilesPerTemplate === 0) return;
  const types = await deps.repository.transaction((tx) => tx.listProfileTypes());
  if (types.length > 0) return;
  const results = await importProfiles(deps, readTemplateFiles(config.profilesDirectory), config.profilesPerTemplate);
  logger.info({ profileTypes: results.map((r) => r.profileType), perType: config.profilesPerTemplate }, 'initial inventory imported');
}

/** What /healthz reports: the store answers, its schema version and the profiles available for orders. */
async function health(repository: SmdpRepository): Promise<{ schemaVersion: StorageHealth['schemaVersion']; availableProfiles: number }> {
  const { schemaVersion } = await repository.health();
  const available = await repository.transaction((tx) => tx.countProfiles('available'));
  return { schemaVersion, availableProfiles: available };
}
