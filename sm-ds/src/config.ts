// The one typed configuration of the SM-DS: a schema with the defaults in it, then values set in code (what
// `zkesim start` chooses), a config file (JSON or YAML), then environment variables SMDS_*, loaded by the shared
// loader of @zkesim/config and validated once at startup. Core code never reads this file's sources.
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isServerAddress } from '@zkesim/protocol';
import { ConfigError, configErrorAt, loadConfig as loadLayers, nonEmptyText, path, pathList, port, positiveNumber, stackPaths, type ConfigSpec, type Environment } from '@zkesim/config';

export { ConfigError };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const address = () => nonEmptyText().refine((text): boolean => isServerAddress(text), 'must be a host name or IP literal, optionally with :port');

/** One ES11 signing credential: CERT.DSauth and the CI it chains to (chosen per session by the eUICC's CIs). */
const credentialSchema = z.strictObject({ ciCertificate: path(), dsAuthCertificate: path(), dsAuthKey: path() });

/**
 * The schema, with defaults for a development instance whose files are under `dataDir`: 127.0.0.1, the NIST
 * hierarchy of `npx zkesim pki init --dir data/pki` (DSauth, DStls, the CI and its CRL), ES11 on port 8447 and
 * ES12/ES15 on 8452 (8445 is the stack's eUICC, 8446 the SM-DP+'s admin port, 8448 this one's).
 */
export function smdsConfigSchema(dataDir: string) {
  const pki = (file: string): string => resolve(stackPaths(dataDir).pki, 'nist', file);
  return z.strictObject({
    /** The SM-DS address as LPAs and SM-DP+s use it (FQDN, optionally :port); compared in InitiateAuthentication. */
    address: address().default('localhost:8447'),
    host: nonEmptyText().default('127.0.0.1'),
    /** The HTTPS port of ES11, for LPAs (server-authenticated, SGP.22 §2.6.6): no client certificate asked. */
    port: port().default(8447),
    /**
     * The HTTPS port of ES12 (SM-DP+s) and ES15 (SM-DSs), mutually authenticated at the TLS handshake
     * (§2.6.6): a client certificate chaining to one of `clientCis` is required to connect. SM-DP+s reach it
     * through their `smdsPeers` entry for this SM-DS's address.
     */
    peerPort: port().default(8452),
    /** CERT.DStls and its key (also the client certificate towards the Root SM-DS, ES15). */
    tlsCertificate: path().default(pki('dstls.cert.pem')),
    tlsKey: path().default(pki('dstls.key.pem')),
    tlsChain: pathList().optional(),
    credentials: z
      .array(credentialSchema)
      .min(1, 'needs at least one credential set')
      .default(() => [{ ciCertificate: pki('ci.cert.pem'), dsAuthCertificate: pki('dsauth.cert.pem'), dsAuthKey: pki('dsauth.key.pem') }]),
    /** CRLs (DER or PEM files) checked for EUM, SM-DP+ and SM-DS certificates. */
    crls: pathList().default(() => [pki('ci.crl.der')]),
    /**
     * The CIs whose SM-DP+s (CERT.DPtls as TLS client, ES12) and SM-DSs (CERT.DStls, ES15) may register and
     * delete events here.
     */
    clientCis: pathList().default(() => [pki('ci.cert.pem')]),
    /** Where event records are stored. */
    storage: z
      .preprocess(
        (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value) ? { ...value, kind: 'sqlite' } : value),
        z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('sqlite'), path: path({ verbatim: [':memory:'] }).default(resolve(dataDir, 'smds', 'smds.db')) }),
          // PostgreSQL for several SM-DS processes on one database: `url`, else DATABASE_URL at open.
          z.strictObject({ kind: z.literal('postgres'), url: z.string().min(1).optional(), maxConnections: z.number().int().positive().default(10) }),
        ]),
      )
      .prefault({}),
    events: z
      .strictObject({
        /**
         * How long an event record is kept when its SM-DP+ never deletes it. SPEC-AMBIGUITY: ES12.RegisterEvent
         * carries no lifetime (§5.9.1); 30 days matches the SM-DP+'s default order lifetime.
         */
        lifetimeMs: positiveNumber().default(30 * 24 * 3600 * 1000),
        sweepIntervalMs: positiveNumber().default(60_000),
      })
      .prefault({}),
    /**
     * Set on an Alternative SM-DS (§3.6.1): the Root SM-DS it registers a pointer event on (ES15) for each
     * event an SM-DP+ registers with forwardingIndicator, presenting CERT.DStls as its client certificate.
     */
    rootSmds: z
      .strictObject({
        /** Where the Root SM-DS serves ES15 (its mutually authenticated port, `peerPort` on this software). */
        address: address(),
        /** Trust anchors for the Root SM-DS's TLS certificate (default: the CIs of `clientCis`). */
        ca: pathList().optional(),
        requestTimeoutMs: positiveNumber().default(5000),
      })
      .optional(),
    limits: z
      .strictObject({
        maxBodyBytes: positiveNumber().default(64 * 1024),
        maxConcurrentPerAddress: positiveNumber().default(16),
        maxSessions: positiveNumber().default(10_000),
        /** An ES11 session lives from InitiateAuthentication to AuthenticateClient: seconds, for a real eUICC. */
        sessionLifetimeMs: positiveNumber().default(60_000),
        /** ES11 sessions one address (an IPv6 /64) may hold; a new one evicts its oldest (rsp-server's table). */
        sessionsPerAddress: positiveNumber().default(64),
      })
      .prefault({}),
    /** Connection limits of the HTTPS port (rsp-server's defaultConnectionLimits when unset). */
    connections: z
      .strictObject({
        handshakeTimeoutMs: positiveNumber().optional(),
        headersTimeoutMs: positiveNumber().optional(),
        requestTimeoutMs: positiveNumber().optional(),
        keepAliveTimeoutMs: positiveNumber().optional(),
        maxConnections: positiveNumber().optional(),
        maxConnectionsPerAddress: positiveNumber().optional(),
      })
      .prefault({}),
    /** GET /healthz and /metrics over plain HTTP, on the loopback unless set otherwise, never on the HTTPS port. */
    admin: z
      .strictObject({
        enabled: z.boolean().default(true),
        host: nonEmptyText().default('127.0.0.1'),
        port: port().default(8448),
      })
      .prefault({}),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    metrics: z.boolean().default(true),
  }).refine((config) => config.port === 0 || config.peerPort !== config.port, {
    message: 'must differ from port: ES12/ES15 need a port of their own, since their mutual TLS is enforced at the handshake, which LPAs on ES11 cannot pass',
    path: ['peerPort'],
  });
}

export type SmdsConfig = z.output<ReturnType<typeof smdsConfigSchema>>;

function smdsSpec(dataDir: string): ConfigSpec<ReturnType<typeof smdsConfigSchema>> {
  return { component: 'smds', envPrefix: 'SMDS', schema: smdsConfigSchema(dataDir) };
}

export interface LoadSmdsConfigOptions {
  /** The data directory the defaults point into (PKI, database). */
  dataDir?: string;
  /** Config file; default SMDS_CONFIG. */
  file?: string;
  env: Environment;
  /** Values set in code under the file and the environment, and the name they are reported under. */
  base?: { values: object; source: string };
  cwd?: string;
}

/** schema defaults → `base` → file (paths in it relative to the file) → environment (SMDS_*). */
export function loadConfig(options: LoadSmdsConfigOptions): SmdsConfig {
  const cwd = options.cwd ?? process.cwd();
  const dataDir = options.dataDir ?? resolve(cwd, 'data');
  const file = options.file ?? (options.env.SMDS_CONFIG === '' ? undefined : options.env.SMDS_CONFIG);
  return loadLayers(smdsSpec(dataDir), {
    cwd,
    env: options.env,
    ...(file === undefined ? {} : { file }),
    ...(options.base === undefined ? {} : { base: options.base }),
  });
}

/** Validates a configuration assembled in code (tests, `zkesim start`). */
export function validateConfig(config: unknown, source = 'code', dataDir = resolve('data')): SmdsConfig {
  return loadLayers(smdsSpec(dataDir), { cwd: process.cwd(), base: { values: config as object, source } });
}

/** A ConfigError about `key` of a loaded configuration, naming where that key was set. */
export function smdsConfigError(config: SmdsConfig, key: string, problem: string): ConfigError {
  return configErrorAt(config, 'smds', key, problem);
}

/** Where `zkesim start` writes the configuration it runs its SM-DS with (`zkesim smds serve` reads it). */
export function stackSmdsConfigPath(dataDir: string): string {
  return join(dataDir, 'smds', 'config.json');
}
