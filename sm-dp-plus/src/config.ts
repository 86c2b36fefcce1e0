// The one typed configuration of the SM-DP+: defaults in code, then a
// config file (JSON or YAML), then environment variables SMDP_*. Validated once at startup; an invalid
// value fails with a message naming the key. Core code never reads this file's sources, only the result.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, PROFILE_NOTIFICATION_EVENTS, type SmdpConfig } from './configTypes.js';
import { validateConfig } from './configValidation.js';

export {
  ConfigError, PROFILE_NOTIFICATION_EVENTS, type CredentialConfig, type Es9EndpointConfig, type OperatorConfig, type ProfileNotificationEvent, type SmdpConfig,
} from './configTypes.js';

/** The GSMA TS.48 test profiles shipped with the SM-DP+ (profiles/SOURCE.md). */
export const BUNDLED_PROFILES_DIRECTORY = resolve(import.meta.dirname, '../profiles');

/**
 * Defaults: a development instance on 127.0.0.1 using the NIST hierarchy that
 * `npx zkesim pki init --dir data/pki` writes (`data/pki/nist/<entity>.cert.pem|.key.pem`, the CI's
 * CRL), with the demo inventory, ES9+ on 8443 and ES2+ on its own port 8444 for the `operator-client`
 * certificate (issued by the same CI).
 */
export function defaultConfig(root: string): SmdpConfig {
  const pki = (file: string): string => resolve(root, 'data/pki/nist', file);
  return {
    address: 'localhost:8443',
    host: '127.0.0.1',
    databasePath: resolve(root, 'data/smdp/smdp.db'),
    es9: [{ port: 8443, tlsCertificate: pki('dptls.cert.pem'), tlsKey: pki('dptls.key.pem') }],
    credentials: [
      {
        ciCertificate: pki('ci.cert.pem'),
        dpAuthCertificate: pki('dpauth.cert.pem'),
        dpAuthKey: pki('dpauth.key.pem'),
        dpPbCertificate: pki('dppb.cert.pem'),
        dpPbKey: pki('dppb.key.pem'),
      },
    ],
    crls: [pki('ci.crl.der')],
    es2: {
      mode: 'port',
      port: 8444,
      // The development CI issues other TLS certificates too; only `operator-client` is the operator.
      operators: [{ operatorId: 'operator', caCertificate: pki('ci.cert.pem'), commonName: 'zkesim ES2+ client' }],
      // SGP.22 §2.6.6: the DPtls certificate is also the SM-DP+'s TLS client certificate (ES12, callbacks).
      clientCertificate: pki('dptls.cert.pem'),
      clientKey: pki('dptls.key.pem'),
      callbackCa: [pki('ci.cert.pem')],
    },
    orders: { lifetimeMs: 30 * 24 * 3600 * 1000, confirmationCodeMaxAttempts: 3, downloadMaxAttempts: 5 },
    limits: { maxBodyBytes: 64 * 1024, maxConcurrentPerAddress: 16, maxSessions: 10_000, sessionLifetimeMs: 10 * 60 * 1000 },
    outbox: { pollIntervalMs: 1000, baseDelayMs: 1000, maxDelayMs: 10 * 60 * 1000, requestTimeoutMs: 10_000 },
    profilesDirectory: BUNDLED_PROFILES_DIRECTORY,
    profilesPerTemplate: 10,
    profileProtectionKeys: false,
    logLevel: 'info',
    metrics: true,
    anchor: { enabled: true, outboxDirectory: resolve(root, 'data/chain') },
    profileNotifications: [...PROFILE_NOTIFICATION_EVENTS],
  };
}

type Plain = { [key: string]: unknown };

/** defaults → file (paths in it relative to the file) → environment (SMDP_*). */
export function loadConfig(options: { root: string; file?: string; env: NodeJS.ProcessEnv }): SmdpConfig {
  let merged: Plain = defaultConfig(options.root) as unknown as Plain;
  const file = options.file ?? options.env.SMDP_CONFIG;
  if (file !== undefined) {
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError('file', `cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (typeof parsed !== 'object' || parsed === null) throw new ConfigError('file', `${path} is not an object`);
    merged = mergeInto(merged, resolvePaths(parsed as Plain, dirname(path)), '');
  }
  merged = applyEnvironment(merged, options.env, 'SMDP');
  return validateConfig(merged as unknown as SmdpConfig);
}

const pathKeys = new Set([
  'databasePath', 'tlsCertificate', 'tlsKey', 'ciCertificate', 'dpAuthCertificate', 'dpAuthKey', 'dpPbCertificate',
  'dpPbKey', 'caCertificate', 'clientCertificate', 'clientKey', 'profilesDirectory', 'outboxDirectory',
]);
const pathListKeys = new Set(['crls', 'callbackCa', 'tlsChain']);

function resolvePaths(value: Plain, base: string): Plain {
  const out: Plain = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && pathKeys.has(key)) out[key] = resolve(base, item);
    else if (Array.isArray(item) && pathListKeys.has(key)) out[key] = item.map((p) => (typeof p === 'string' ? resolve(base, p) : p));
    else if (Array.isArray(item)) out[key] = item.map((e) => (isPlain(e) ? resolvePaths(e, base) : e));
    else if (isPlain(item)) out[key] = resolvePaths(item, base);
    else out[key] = item;
  }
  return out;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(base: Plain, overlay: Plain, prefix: string): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (!(key in base)) throw new ConfigError(name, 'unknown key');
    const current = base[key];
    out[key] = isPlain(current) && isPlain(value) ? mergeInto(current, value, name) : value;
  }
  return out;
}

/** SMDP_LIMITS_MAX_BODY_BYTES sets limits.maxBodyBytes; arrays and objects take JSON (SMDP_ES9='[...]'). */
function applyEnvironment(config: Plain, env: NodeJS.ProcessEnv, prefix: string): Plain {
  const out: Plain = { ...config };
  for (const [key, current] of Object.entries(config)) {
    const name = `${prefix}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    if (isPlain(current)) {
      out[key] = applyEnvironment(current, env, name);
      continue;
    }
    const raw = env[name];
    if (raw === undefined) continue;
    out[key] = parseEnvironmentValue(name, raw, current);
  }
  return out;
}

function parseEnvironmentValue(name: string, raw: string, current: unknown): unknown {
  if (typeof current === 'number') {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new ConfigError(name, `"${raw}" is not a number`);
    return value;
  }
  if (typeof current === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new ConfigError(name, `"${raw}" is not true or false`);
    return raw === 'true';
  }
  if (Array.isArray(current)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch (error) {
      throw new ConfigError(name, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return raw;
}
