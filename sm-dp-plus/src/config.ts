// The one typed configuration of the SM-DP+: a schema with the defaults in it, then values set in code (what
// `zkesim start` chooses), a config file (JSON or YAML), then environment variables SMDP_*, loaded by the shared
// loader of @zkesim/config and validated once at startup; an invalid value fails with a message naming the key
// and where it came from. Core code never reads this file's sources, only the result.
import { resolve } from 'node:path';
import { z } from 'zod';
import { isServerAddress } from '@zkesim/protocol';
import {
  ConfigError,
  configErrorAt,
  loadConfig as loadLayers,
  nonEmptyText,
  path,
  pathList,
  port,
  positiveNumber,
  stackPaths,
  type ConfigSpec,
  type Environment,
} from '@zkesim/config';
import type { OrderPolicy } from './core/deps.js';
import { defaultConnectionLimits } from '@zkesim/rsp-server';

export { ConfigError };

/** The GSMA TS.48 test profiles shipped with the SM-DP+ (profiles/SOURCE.md). */
export const BUNDLED_PROFILES_DIRECTORY = resolve(import.meta.dirname, '../profiles');

export const PROFILE_NOTIFICATION_EVENTS = ['notificationEnable', 'notificationDisable', 'notificationDelete'] as const;
export type ProfileNotificationEvent = (typeof PROFILE_NOTIFICATION_EVENTS)[number];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * One set of SM-DP+ signing credentials, used when the eUICC asks for the CI they chain to. With `signing.kind`
 * software the private keys are the PEM files `dpAuthKey` and `dpPbKey`; with pkcs11 they are the token's keys
 * labelled `dpAuthKeyLabel` and `dpPbKeyLabel` (CKA_LABEL), and no key file is read.
 */
const credentialSchema = z.strictObject({
  ciCertificate: path(),
  dpAuthCertificate: path(),
  dpAuthKey: path().optional(),
  dpAuthKeyLabel: nonEmptyText().optional(),
  dpPbCertificate: path(),
  dpPbKey: path().optional(),
  dpPbKeyLabel: nonEmptyText().optional(),
});

/**
 * Where SK.DPauth and SK.DPpb sign: `software` (key files, the default) or `pkcs11` (a token: the PKCS#11
 * library `module`, the token's `tokenLabel`; the user PIN only from the environment, SMDP_PKCS11_PIN).
 */
function signingSchema() {
  const software = z.strictObject({ kind: z.literal('software') });
  const pkcs11 = z.strictObject({ kind: z.literal('pkcs11'), module: path(), tokenLabel: nonEmptyText() });
  return z
    .preprocess((value) => (isObject(value) && value.kind === undefined ? { ...value, kind: 'software' } : value), z.discriminatedUnion('kind', [software, pkcs11]))
    .prefault({});
}

const serverAddress = () => nonEmptyText().refine((text): boolean => isServerAddress(text), 'must be a host name or IP literal, optionally with :port');

/** An ES9+ HTTPS listener: the DPtls certificate decides NIST or brainpool. */
const es9EndpointSchema = z.strictObject({
  port: port(),
  tlsCertificate: path(),
  tlsKey: path(),
  /** Extra chain certificates sent with the DPtls certificate. */
  tlsChain: pathList().optional(),
});

/**
 * An ES2+ operator (SGP.22 §2.6.6, mutual TLS): its own client certificate pinned (`pinnedCertificates`
 * files or `pinnedFingerprints`, SHA-256) with the CA certificates it chains to (`pinnedIssuers`, which the
 * TLS handshake verifies it against; a self-signed pinned certificate file is its own), or certificates of
 * its CA (`caCertificate`) restricted to a `commonName`. An entry that would accept every certificate its CA
 * issues (a CA without a commonName) is refused unless marked `anyCertificateOfCa: true`, and even then the
 * SM-DP+ warns at start: a CA such as a development or GSMA CI also issues DPtls, DPauth, DPpb and SM-DS
 * certificates, each of which could then place orders as this operator.
 */
const operatorSchema = z
  .strictObject({
    operatorId: nonEmptyText(),
    callbackUrl: z.string().startsWith('https://', 'must be an https:// URL').optional(),
    caCertificate: path().optional(),
    /** With caCertificate: the subject CN the operator's client certificate must carry. */
    commonName: z.string().optional(),
    pinnedFingerprints: z.array(z.string()).optional(),
    /** The operator's client certificate files (PEM or DER), pinned by their SHA-256 fingerprint at start. */
    pinnedCertificates: pathList().optional(),
    /**
     * With pins: the CA certificate files the pinned certificates chain to, up to the self-signed root. Mutual
     * TLS is enforced at the handshake, where OpenSSL verifies the client certificate against them; only the
     * pinned certificates are this operator, not the CA's others.
     */
    pinnedIssuers: pathList().optional(),
    /** With caCertificate and no commonName: yes, every certificate of that CA is this operator. */
    anyCertificateOfCa: z.boolean().optional(),
  })
  .refine(
    (operator) => operator.caCertificate !== undefined || (operator.pinnedFingerprints ?? []).length > 0 || (operator.pinnedCertificates ?? []).length > 0,
    'needs pinnedCertificates, pinnedFingerprints or caCertificate',
  )
  .refine((operator) => (operator.pinnedFingerprints ?? []).length === 0 || (operator.pinnedIssuers ?? []).length > 0, {
    message:
      'pinnedFingerprints need pinnedIssuers: mutual TLS is enforced at the TLS handshake, which must chain the pinned certificate to a configured CA; list its issuer (up to the root), or pin the certificate file itself with pinnedCertificates when it is self-signed',
    path: ['pinnedIssuers'],
  })
  .refine((operator) => operator.caCertificate === undefined || operator.commonName !== undefined || operator.anyCertificateOfCa === true, {
    message:
      'would accept every certificate its caCertificate issues (other servers\' too): pin the operator\'s certificate (pinnedCertificates or pinnedFingerprints), name its commonName, or set anyCertificateOfCa: true',
    path: ['caCertificate'],
  });

/** Storage of orders and profiles. One kind today; `kind` may be left out. */
function storageSchema(defaultPath: string) {
  // ':memory:' is SQLite's throwaway in-memory database, not a file name.
  const sqlite = z.strictObject({ kind: z.literal('sqlite'), path: path({ verbatim: [':memory:'] }).default(defaultPath) });
  // PostgreSQL, for several processes or machines on one database (README "Many processes"): `url`, else the
  // DATABASE_URL environment variable at open (so the password can stay out of the configuration file).
  const postgres = z.strictObject({
    kind: z.literal('postgres'),
    url: z.string().min(1).optional(),
    /** Connections per process. */
    maxConnections: z.number().int().positive().default(10),
    /**
     * How long an outbox entry stays with the process that took it for sending (ms): more than one delivery
     * attempt takes (outbox.requestTimeoutMs); an entry of a process that died is sent by another after this.
     */
    outboxClaimMs: z.number().int().positive().default(60_000),
  });
  return z
    .preprocess((value) => (isObject(value) && value.kind === undefined ? { ...value, kind: 'sqlite' } : value), z.discriminatedUnion('kind', [sqlite, postgres]))
    .prefault({});
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema, with defaults for a development instance whose files are under `dataDir`: 127.0.0.1, the NIST
 * hierarchy that `npx zkesim pki init --dir data/pki` writes (`<dataDir>/pki/nist/<entity>.cert.pem|.key.pem`,
 * the CI's CRL), the bundled TS.48 profiles as demo inventory, ES9+ on 8443 and ES2+ on its own port 8444 for
 * the `operator-client` certificate (issued by the same CI).
 */
export function smdpConfigSchema(dataDir: string) {
  const paths = stackPaths(dataDir);
  const pki = (file: string): string => resolve(paths.pki, 'nist', file);
  return z.strictObject({
    /** The SM-DP+ address as LPAs use it (FQDN, optionally :port); compared in InitiateAuthentication. */
    address: serverAddress().default('localhost:8443'),
    /** Interface to bind (127.0.0.1 for local use). */
    host: nonEmptyText().default('127.0.0.1'),
    /** Where orders and profiles are stored (`databasePath` is another name for `storage.path`). */
    storage: storageSchema(resolve(paths.smdp, 'smdp.db')),
    /**
     * Encryption at rest of Ki, OPc and confirmation-code digests (SECURITY.md): AES-256-GCM under the
     * key-encryption key in SMDP_KEY_ENCRYPTION_KEY or, without it, in `keyEncryptionKeyFile` (mode 0600,
     * created on first start when `generateKeyEncryptionKey`). Keep the file off the database's volume and
     * its backups in production.
     */
    secrets: z
      .strictObject({
        keyEncryptionKeyFile: path().default(resolve(paths.smdp, 'kek.key')),
        generateKeyEncryptionKey: z.boolean().default(true),
      })
      .prefault({}),
    es9: z
      .array(es9EndpointSchema)
      .min(1, 'needs at least one endpoint')
      .default(() => [{ port: 8443, tlsCertificate: pki('dptls.cert.pem'), tlsKey: pki('dptls.key.pem') }]),
    credentials: z
      .array(credentialSchema)
      .min(1, 'needs at least one credential set')
      .default(() => [
        {
          ciCertificate: pki('ci.cert.pem'),
          dpAuthCertificate: pki('dpauth.cert.pem'),
          dpAuthKey: pki('dpauth.key.pem'),
          dpPbCertificate: pki('dppb.cert.pem'),
          dpPbKey: pki('dppb.key.pem'),
        },
      ]),
    signing: signingSchema(),
    /** CRLs (DER or PEM files) checked for EUM certificates. */
    crls: pathList().default(() => [pki('ci.crl.der')]),
    es2: z
      .strictObject({
        /**
         * ES2+ is always on its own port (`port`). The former 'shared' (ES2+ on the first ES9+ port) is refused:
         * mutual TLS is enforced at the TLS handshake (SGP.22 §2.6.6), which LPAs (ES9+, no client certificate)
         * could not pass.
         */
        mode: z
          .literal('port', {
            error: (issue) =>
              issue.input === 'shared'
                ? 'must be "port": "shared" (ES2+ on the first ES9+ port) is no longer possible, because mutual TLS is now enforced at the TLS handshake (SGP.22 §2.6.6) and LPAs calling ES9+ present no client certificate; remove es2.mode and give ES2+ its own es2.port'
                : 'must be "port"',
          })
          .default('port'),
        port: port().default(8444),
        tlsCertificate: path().optional(),
        tlsKey: path().optional(),
        // The development CI issues other TLS certificates too: the operator is its own certificate, pinned.
        operators: z
          .array(operatorSchema)
          .default(() => [{ operatorId: 'operator', pinnedCertificates: [pki('operator-client.cert.pem')], pinnedIssuers: [pki('ci.cert.pem')] }]),
        /** Client certificate and key the SM-DP+ presents to operators' callback servers. */
        // SGP.22 §2.6.6: the DPtls certificate is also the SM-DP+'s TLS client certificate (ES12, callbacks).
        clientCertificate: path().default(pki('dptls.cert.pem')),
        clientKey: path().default(pki('dptls.key.pem')),
        /** Trust anchors for operators' callback servers. */
        callbackCa: pathList().default(() => [pki('ci.cert.pem')]),
      })
      .prefault({}),
    /**
     * SM-DSs that serve ES12 (mutual TLS, SGP.22 §2.6.6) elsewhere than at their SM-DS address (ES11, which
     * orders name): ES12 for `address` goes to `es12Address` (es12/es12Endpoints.ts). Other SM-DS addresses are
     * used as they are. The default is the development SM-DS's (`zkesim smds serve`: ES11 on 8447, ES12 on 8452).
     */
    smdsPeers: z
      .array(z.strictObject({ address: serverAddress(), es12Address: serverAddress() }))
      .default(() => [{ address: 'localhost:8447', es12Address: 'localhost:8452' }]),
    orders: z
      .strictObject({
        lifetimeMs: z.number().nonnegative('must be a number ≥ 0').default(30 * 24 * 3600 * 1000),
        confirmationCodeMaxAttempts: positiveNumber().default(3),
        /** Wrong confirmation codes one source address may send, over all orders, within the window below. */
        confirmationCodeSourceMaxFailures: positiveNumber().default(10),
        confirmationCodeSourceWindowMs: positiveNumber().default(3600 * 1000),
        downloadMaxAttempts: positiveNumber().default(5),
        /**
         * What an endUserRejection or pprNotAllowed CancelSession does when it follows this SM-DP+'s own
         * refusal of a confirmation code in that session (8.2.7 / 3.8): keepOrder (field LPAs cancel that way
         * after a mistyped code) while code attempts remain, or closeOrder.
         */
        cancelAfterRefusedConfirmationCode: z.enum(['keepOrder', 'closeOrder']).default('keepOrder'),
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxBodyBytes: positiveNumber().default(64 * 1024),
        maxConcurrentPerAddress: positiveNumber().default(16),
        maxSessions: positiveNumber().default(10_000),
        sessionLifetimeMs: positiveNumber().default(10 * 60 * 1000),
      })
      .prefault({}),
    // --- Connections, unauthenticated sessions and the admin listener (issue #13: server hardening) ---
    /**
     * What one connection and one address may hold on every listener (ES9+, ES2+, admin). Timeouts are
     * enforced as set (the TLS handshake's is absolute); beyond a cap a new connection is closed at once.
     */
    connections: z
      .strictObject({
        handshakeTimeoutMs: positiveNumber().default(defaultConnectionLimits.handshakeTimeoutMs),
        headersTimeoutMs: positiveNumber().default(defaultConnectionLimits.headersTimeoutMs),
        requestTimeoutMs: positiveNumber().default(defaultConnectionLimits.requestTimeoutMs),
        keepAliveTimeoutMs: positiveNumber().default(defaultConnectionLimits.keepAliveTimeoutMs),
        maxConnections: positiveNumber().default(defaultConnectionLimits.maxConnections),
        maxConnectionsPerAddress: positiveNumber().default(defaultConnectionLimits.maxConnectionsPerAddress),
      })
      .refine((c) => c.headersTimeoutMs <= c.requestTimeoutMs, { message: 'must not exceed connections.requestTimeoutMs', path: ['headersTimeoutMs'] })
      .prefault({}),
    /**
     * ES9+ sessions before AuthenticateClient, which anyone can open: they live `lifetimeMs` (the eUICC's
     * AuthenticateServer takes seconds), one address (an IPv6 /64) holds at most `maxPerAddress` (a new one
     * evicts its oldest), and a full table evicts the oldest of them instead of refusing a new session.
     */
    unauthenticatedSessions: z
      .strictObject({
        lifetimeMs: positiveNumber().default(60_000),
        maxPerAddress: positiveNumber().default(64),
      })
      .prefault({}),
    /**
     * The operators' listener for GET /healthz and /metrics (plain HTTP): on the loopback unless set otherwise,
     * never on the ES9+ or ES2+ ports. Bind it only to an interface that operators alone reach.
     */
    admin: z
      .strictObject({
        enabled: z.boolean().default(true),
        host: nonEmptyText().default('127.0.0.1'),
        port: port().default(8446),
      })
      .prefault({}),
    // --- end of issue #13 block ---
    outbox: z
      .strictObject({
        pollIntervalMs: positiveNumber().default(1000),
        baseDelayMs: positiveNumber().default(1000),
        maxDelayMs: positiveNumber().default(10 * 60 * 1000),
        requestTimeoutMs: positiveNumber().default(10_000),
        /** Failed attempts after which an entry is dead (kept, listed by `zkesim smdp outbox`, requeued by hand). */
        maxAttempts: positiveNumber().default(100),
      })
      .prefault({}),
    /**
     * Profile templates (SAIP DER files) imported on first start, when the inventory is empty. No default: a
     * production SM-DP+ serves only the inventory its operator imports (`zkesim smdp import-profiles`);
     * `npm start` and test labs name the bundled TS.48 test profiles (BUNDLED_PROFILES_DIRECTORY) here.
     */
    profilesDirectory: path().optional(),
    /** How many profiles to create per template on first start (0: none). */
    profilesPerTemplate: z.number().int('must be an integer ≥ 0').nonnegative('must be an integer ≥ 0').default(0),
    /**
     * Protect the profile elements with fresh profile protection keys and send ReplaceSessionKeys
     * (SGP.22 §5.5.3) instead of protecting them with the session keys.
     */
    profileProtectionKeys: z.boolean().default(false),
    /**
     * Profile management operations the eUICC reports back to this SM-DP+ (StoreMetadata
     * notificationConfigurationInfo, SGP.22 §5.4.1 and §3.5), among notificationEnable, notificationDisable,
     * notificationDelete. The installation result is always sent; an empty list asks for nothing more.
     */
    profileNotifications: z
      .array(z.enum(PROFILE_NOTIFICATION_EVENTS, { error: `must list only ${PROFILE_NOTIFICATION_EVENTS.join(', ')}` }))
      .default(() => [...PROFILE_NOTIFICATION_EVENTS]),
    /**
     * Anchoring of installation results on the chain: records go to the anchor outbox in `outboxDirectory`
     * (the chain layer's data directory, `<dataDir>/chain` by default, where `zkesim chain` and `npm start` find them).
     */
    anchor: z.strictObject({ enabled: z.boolean().default(true), outboxDirectory: path().default(paths.chain) }).prefault({}),
    /**
     * Lab mode, for conformance and certification labs only: `zkesim smdp provision` may create reusable
     * orders (downloadable again after every installation). Off by default; never on in production.
     */
    lab: z.boolean().default(false),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    metrics: z.boolean().default(true),
  });
}

export type SmdpConfig = z.output<ReturnType<typeof smdpConfigSchema>>;
export type CredentialConfig = SmdpConfig['credentials'][number];
export type SigningConfig = SmdpConfig['signing'];
export type Es9EndpointConfig = SmdpConfig['es9'][number];
export type OperatorConfig = SmdpConfig['es2']['operators'][number];

function smdpSpec(dataDir: string): ConfigSpec<ReturnType<typeof smdpConfigSchema>> {
  return { component: 'smdp', envPrefix: 'SMDP', schema: smdpConfigSchema(dataDir), aliases: { databasePath: 'storage.path' } };
}

/** The defaults for a data directory at `<root>/data`. */
export function defaultConfig(root: string): SmdpConfig {
  return loadLayers(smdpSpec(resolve(root, 'data')), { cwd: root });
}

export interface LoadSmdpConfigOptions {
  /** Defaults are for `<root>/data` (unless `dataDir` says otherwise). */
  root?: string;
  /** The data directory the defaults point into (PKI, database, chain outbox). */
  dataDir?: string;
  /** Config file; default SMDP_CONFIG. */
  file?: string;
  env: Environment;
  /** Values set in code under the file and the environment, and the name they are reported under. */
  base?: { values: object; source: string };
  /** Relative paths in `base` and the environment; default the process's working directory. */
  cwd?: string;
}

/** schema defaults → `base` → file (paths in it relative to the file) → environment (SMDP_*). */
export function loadConfig(options: LoadSmdpConfigOptions): SmdpConfig {
  const cwd = options.cwd ?? process.cwd();
  const dataDir = options.dataDir ?? resolve(options.root ?? cwd, 'data');
  const file = options.file ?? (options.env.SMDP_CONFIG === '' ? undefined : options.env.SMDP_CONFIG);
  return loadLayers(smdpSpec(dataDir), {
    cwd,
    env: options.env,
    ...(file === undefined ? {} : { file }),
    ...(options.base === undefined ? {} : { base: options.base }),
  });
}

/** Validates a configuration assembled in code (tests, embedding applications). */
export function validateConfig(config: unknown, source = 'code'): SmdpConfig {
  return loadLayers(smdpSpec(resolve('data')), { cwd: process.cwd(), base: { values: config as object, source } });
}

/** A ConfigError about `key` of a loaded configuration, naming where that key was set. */
export function smdpConfigError(config: SmdpConfig, key: string, problem: string, options?: ErrorOptions): ConfigError {
  return configErrorAt(config, 'smdp', key, problem, options);
}

/** The order policy the core applies, from the configuration (the one place it is assembled). */
export function orderPolicyOf(config: SmdpConfig): OrderPolicy {
  return {
    smdpAddress: config.address,
    orderLifetimeMs: config.orders.lifetimeMs,
    confirmationCodeMaxAttempts: config.orders.confirmationCodeMaxAttempts,
    downloadMaxAttempts: config.orders.downloadMaxAttempts,
    cancelAfterRefusedConfirmationCode: config.orders.cancelAfterRefusedConfirmationCode,
    lab: config.lab,
  };
}
