// Validation of the merged SM-DP+ configuration; each failure names the key.
import { ConfigError, PROFILE_NOTIFICATION_EVENTS, type SmdpConfig } from './configTypes.js';

function check(condition: boolean, key: string, detail: string): void {
  if (!condition) throw new ConfigError(key, detail);
}

function port(value: unknown, key: string): void {
  check(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535, key, 'must be a port number 0..65535');
}

function positive(value: unknown, key: string): void {
  check(typeof value === 'number' && Number.isFinite(value) && value > 0, key, 'must be a positive number');
}

function nonEmptyString(value: unknown, key: string): void {
  check(typeof value === 'string' && value.length > 0, key, 'must be a non-empty string');
}

export function validateConfig(config: SmdpConfig): SmdpConfig {
  nonEmptyString(config.address, 'address');
  check(/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(config.address), 'address', 'must be an FQDN, optionally with :port');
  nonEmptyString(config.host, 'host');
  nonEmptyString(config.databasePath, 'databasePath');
  check(typeof config.anchor.enabled === 'boolean', 'anchor.enabled', 'must be true or false');
  check(
    Array.isArray(config.profileNotifications) && config.profileNotifications.every((event) => (PROFILE_NOTIFICATION_EVENTS as readonly string[]).includes(event)),
    'profileNotifications',
    `must list only ${PROFILE_NOTIFICATION_EVENTS.join(', ')}`,
  );
  if (config.anchor.enabled) nonEmptyString(config.anchor.outboxDirectory, 'anchor.outboxDirectory');
  check(Array.isArray(config.es9) && config.es9.length > 0, 'es9', 'needs at least one endpoint');
  config.es9.forEach((endpoint, i) => {
    port(endpoint.port, `es9[${i}].port`);
    nonEmptyString(endpoint.tlsCertificate, `es9[${i}].tlsCertificate`);
    nonEmptyString(endpoint.tlsKey, `es9[${i}].tlsKey`);
  });
  check(Array.isArray(config.credentials) && config.credentials.length > 0, 'credentials', 'needs at least one credential set');
  config.credentials.forEach((credential, i) => {
    for (const key of ['ciCertificate', 'dpAuthCertificate', 'dpAuthKey', 'dpPbCertificate', 'dpPbKey'] as const) {
      nonEmptyString(credential[key], `credentials[${i}].${key}`);
    }
  });
  check(config.es2.mode === 'port' || config.es2.mode === 'shared', 'es2.mode', 'must be "port" or "shared"');
  port(config.es2.port, 'es2.port');
  config.es2.operators.forEach((operator, i) => {
    nonEmptyString(operator.operatorId, `es2.operators[${i}].operatorId`);
    check(
      operator.caCertificate !== undefined || (operator.pinnedFingerprints ?? []).length > 0,
      `es2.operators[${i}]`,
      'needs caCertificate or pinnedFingerprints',
    );
    if (operator.callbackUrl !== undefined) {
      check(operator.callbackUrl.startsWith('https://'), `es2.operators[${i}].callbackUrl`, 'must be an https:// URL');
    }
  });
  positive(config.orders.lifetimeMs + 1, 'orders.lifetimeMs');
  positive(config.orders.confirmationCodeMaxAttempts, 'orders.confirmationCodeMaxAttempts');
  positive(config.orders.downloadMaxAttempts, 'orders.downloadMaxAttempts');
  for (const key of ['maxBodyBytes', 'maxConcurrentPerAddress', 'maxSessions', 'sessionLifetimeMs'] as const) {
    positive(config.limits[key], `limits.${key}`);
  }
  for (const key of ['pollIntervalMs', 'baseDelayMs', 'maxDelayMs', 'requestTimeoutMs'] as const) {
    positive(config.outbox[key], `outbox.${key}`);
  }
  check(Number.isInteger(config.profilesPerTemplate) && config.profilesPerTemplate >= 0, 'profilesPerTemplate', 'must be an integer ≥ 0');
  check(typeof config.profileProtectionKeys === 'boolean', 'profileProtectionKeys', 'must be true or false');
  check(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(config.logLevel),
    'logLevel',
    'must be one of trace, debug, info, warn, error, fatal, silent',
  );
  return config;
}

/**
 * Every certificate, key and CRL file the configuration names must exist; checked at start-up so that a
 * missing `npx zkesim pki init` is reported with the key, not as a bare ENOENT later.
 */
export function checkConfigFiles(config: SmdpConfig, exists: (path: string) => boolean): void {
  const files: [string, string | undefined][] = [
    ...config.es9.flatMap((e, i): [string, string][] => [
      [`es9[${i}].tlsCertificate`, e.tlsCertificate],
      [`es9[${i}].tlsKey`, e.tlsKey],
      ...(e.tlsChain ?? []).map((p, j): [string, string] => [`es9[${i}].tlsChain[${j}]`, p]),
    ]),
    ...config.credentials.flatMap((c, i): [string, string][] =>
      (['ciCertificate', 'dpAuthCertificate', 'dpAuthKey', 'dpPbCertificate', 'dpPbKey'] as const).map((k) => [`credentials[${i}].${k}`, c[k]]),
    ),
    ...config.crls.map((p, i): [string, string] => [`crls[${i}]`, p]),
    ['es2.tlsCertificate', config.es2.tlsCertificate],
    ['es2.tlsKey', config.es2.tlsKey],
    ['es2.clientCertificate', config.es2.clientCertificate],
    ['es2.clientKey', config.es2.clientKey],
    ...config.es2.callbackCa.map((p, i): [string, string] => [`es2.callbackCa[${i}]`, p]),
    ...config.es2.operators.map((o, i): [string, string | undefined] => [`es2.operators[${i}].caCertificate`, o.caCertificate]),
  ];
  for (const [key, path] of files) {
    if (path !== undefined && !exists(path)) {
      throw new ConfigError(key, `file not found: ${path} (for the development defaults run \`npx zkesim pki init --dir data/pki\`)`);
    }
  }
}
