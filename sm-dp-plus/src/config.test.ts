import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, validateConfig } from './config.js';
import { checkConfigFiles } from './configValidation.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SM-DP+ configuration: defaults → file → SMDP_* environment', () => {
  it('has working defaults under <root>/data', () => {
    const config = loadConfig({ root: dir, env: {} });
    expect(config.storage).toMatchObject({ kind: 'sqlite', path: join(dir, 'data/smdp/smdp.db') });
    expect(config.es2.mode).toBe('port');
    expect(config.limits.maxBodyBytes).toBe(65536);
  });

  it('imports no demo inventory on production defaults; a file or SMDP_* names the templates', () => {
    const defaults = loadConfig({ root: dir, env: {} });
    expect(defaults.profilesDirectory).toBeUndefined();
    expect(defaults.profilesPerTemplate).toBe(0);
    const lab = loadConfig({ root: dir, env: { SMDP_PROFILES_DIRECTORY: 'profiles', SMDP_PROFILES_PER_TEMPLATE: '3' } });
    expect(lab.profilesPerTemplate).toBe(3);
    expect(lab.profilesDirectory).toMatch(/profiles$/);
  });

  it('lets a YAML file override defaults, resolving paths relative to the file', () => {
    writeFileSync(join(dir, 'smdp.yaml'), 'address: rsp.example.com\ndatabasePath: db/smdp.db\nlimits:\n  maxSessions: 50\n');
    const config = loadConfig({ root: '/elsewhere', file: join(dir, 'smdp.yaml'), env: {} });
    expect(config.address).toBe('rsp.example.com');
    expect(config.storage).toMatchObject({ kind: 'sqlite', path: join(dir, 'db/smdp.db') });
    expect(config.limits).toMatchObject({ maxSessions: 50, maxBodyBytes: 65536 });
  });

  it('lets the environment override the file', () => {
    writeFileSync(join(dir, 'smdp.json'), JSON.stringify({ address: 'file.example.com', es2: { port: 9000 } }));
    const config = loadConfig({
      root: dir,
      file: join(dir, 'smdp.json'),
      env: { SMDP_ADDRESS: 'env.example.com', SMDP_ES2_PORT: '9100', SMDP_LIMITS_MAX_BODY_BYTES: '1024' },
    });
    expect(config).toMatchObject({ address: 'env.example.com', es2: { port: 9100, mode: 'port' }, limits: { maxBodyBytes: 1024 } });
  });

  it('names the key of a missing certificate file at start-up', () => {
    const config = loadConfig({ root: dir, env: {} });
    expect(() => checkConfigFiles(config, () => false)).toThrow(/^smdp config es9\[0\]\.tlsCertificate: file not found: .*pki init/);
    expect(() => checkConfigFiles(config, () => true)).not.toThrow();
  });

  it('refuses bad values with a message naming the key', () => {
    expect(() => loadConfig({ root: dir, env: { SMDP_ES2_PORT: 'abc' } })).toThrow('smdp config SMDP_ES2_PORT: "abc" is not a number');
    expect(() => loadConfig({ root: dir, env: { SMDP_ES2_MODE: 'both' } })).toThrow('smdp config es2.mode: must be "port"');
    // ES2+ can no longer share the ES9+ port: mutual TLS is enforced at the handshake, which LPAs cannot pass.
    expect(() => loadConfig({ root: dir, env: { SMDP_ES2_MODE: 'shared' } })).toThrow(
      /^smdp config es2\.mode: must be "port": "shared" .*mutual TLS is now enforced at the TLS handshake .*give ES2\+ its own es2\.port/,
    );
    // A pinned fingerprint names no certificate OpenSSL could chain: its issuer must be given.
    writeFileSync(join(dir, 'pin.json'), JSON.stringify({ es2: { operators: [{ operatorId: 'op', pinnedFingerprints: ['AB'] }] } }));
    expect(() => loadConfig({ root: dir, file: join(dir, 'pin.json'), env: {} })).toThrow(/es2\.operators\[0\]\.pinnedIssuers: pinnedFingerprints need pinnedIssuers/);
    writeFileSync(join(dir, 'bad.yaml'), 'limits:\n  maxBodyByte: 3\n');
    expect(() => loadConfig({ root: dir, file: join(dir, 'bad.yaml'), env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ root: dir, file: join(dir, 'bad.yaml'), env: {} })).toThrow('limits.maxBodyByte: unknown key');
  });
});

describe('SM-DP+ configuration schema', () => {
  it('accepts the SGP.26 test-lab file, its databasePath as storage.path relative to the file', () => {
    const file = fileURLToPath(new URL('../config/sgp26-test-lab.yaml', import.meta.url));
    const config = loadConfig({ root: dir, file, env: {} });
    expect(config.storage).toEqual({ kind: 'sqlite', path: resolve(dirname(file), '../../data/smdp-sgp26/smdp.db') });
    expect(config.es9.map((endpoint) => endpoint.port)).toEqual([8443, 8445]);
    expect(config.credentials).toHaveLength(2);
  });

  it('takes a postgres storage section from a file or the environment, its url optional (DATABASE_URL at open)', () => {
    writeFileSync(join(dir, 'pg.yaml'), 'storage:\n  kind: postgres\n');
    expect(loadConfig({ root: dir, file: join(dir, 'pg.yaml'), env: {} }).storage).toEqual({ kind: 'postgres', maxConnections: 10, outboxClaimMs: 60_000 });
    const url = 'postgresql://smdp@db.example:5432/smdp';
    expect(loadConfig({ root: dir, env: { SMDP_STORAGE_KIND: 'postgres', SMDP_STORAGE_URL: url } }).storage).toEqual({ kind: 'postgres', url, maxConnections: 10, outboxClaimMs: 60_000 });
  });

  it('takes a storage section, with the kind optional, and keeps databasePath as its other name', () => {
    writeFileSync(join(dir, 'storage.yaml'), 'storage:\n  kind: sqlite\n  path: orders.db\n');
    expect(loadConfig({ root: dir, file: join(dir, 'storage.yaml'), env: {} }).storage).toEqual({ kind: 'sqlite', path: join(dir, 'orders.db') });
    writeFileSync(join(dir, 'storage.json'), JSON.stringify({ storage: { path: '/srv/smdp.db' } }));
    expect(loadConfig({ root: dir, file: join(dir, 'storage.json'), env: {} }).storage).toMatchObject({ path: '/srv/smdp.db' });
    expect(loadConfig({ root: dir, env: { SMDP_STORAGE_PATH: '/a.db' } }).storage).toMatchObject({ path: '/a.db' });
    expect(loadConfig({ root: dir, env: { SMDP_DATABASE_PATH: '/b.db' } }).storage).toMatchObject({ path: '/b.db' });
    expect(loadConfig({ root: dir, env: { SMDP_DATABASE_PATH: ':memory:' } }).storage).toMatchObject({ path: ':memory:' });
    writeFileSync(join(dir, 'both.yaml'), 'databasePath: a.db\nstorage:\n  path: b.db\n');
    expect(() => loadConfig({ root: dir, file: join(dir, 'both.yaml'), env: {} })).toThrow(/storage\.path: set twice, as databasePath and as storage\.path/);
    expect(() => loadConfig({ root: dir, env: { SMDP_STORAGE_KIND: 'mysql' } })).toThrow(/smdp config storage\.kind: .*"sqlite".*"postgres".* \(from SMDP_STORAGE_KIND\)/);
  });

  it('reads every kind of key from the environment: lists as JSON or comma-separated, booleans, nested keys', () => {
    const config = loadConfig({
      root: dir,
      env: {
        SMDP_ES9: JSON.stringify([{ port: 9443, tlsCertificate: '/t.pem', tlsKey: '/k.pem' }]),
        SMDP_CRLS: '/a.crl,/b.crl',
        SMDP_PROFILE_NOTIFICATIONS: '[]',
        SMDP_METRICS: 'false',
        SMDP_ANCHOR_ENABLED: 'off',
        SMDP_ORDERS_DOWNLOAD_MAX_ATTEMPTS: '2',
        SMDP_ES2_TLS_CERTIFICATE: '/es2.pem',
      },
    });
    expect(config).toMatchObject({
      es9: [{ port: 9443, tlsCertificate: '/t.pem', tlsKey: '/k.pem' }],
      crls: ['/a.crl', '/b.crl'],
      profileNotifications: [],
      metrics: false,
      anchor: { enabled: false },
      orders: { downloadMaxAttempts: 2 },
      es2: { tlsCertificate: '/es2.pem' },
    });
  });

  it('names the key and where it was set in the start-up file check', () => {
    const config = loadConfig({ root: dir, env: { SMDP_CRLS: '/missing.crl' } });
    expect(() => checkConfigFiles(config, (path) => path !== '/missing.crl')).toThrow(/^smdp config crls\[0\]: file not found: \/missing\.crl .*\(from SMDP_CRLS\)$/);
  });

  it('validates a configuration assembled in code, refusing it with the key', () => {
    const config = defaultConfig(dir);
    expect(validateConfig(config)).toEqual(config);
    expect(() => validateConfig({ ...config, es9: [] })).toThrow('smdp config es9: needs at least one endpoint (set by code)');
    expect(() => validateConfig({ ...config, limits: { ...config.limits, maxSessions: 0 } })).toThrow('smdp config limits.maxSessions: must be a positive number');
  });
});

describe('ES2+ operators', () => {
  it('pin the operator certificate (with its issuer, the CI) by default, and refuse an entry accepting every certificate of a CA unless marked so', () => {
    const config = defaultConfig(dir);
    const nist = join(dir, 'data', 'pki', 'nist');
    expect(config.es2.operators).toEqual([{ operatorId: 'operator', pinnedCertificates: [join(nist, 'operator-client.cert.pem')], pinnedIssuers: [join(nist, 'ci.cert.pem')] }]);
    const caWide = { operatorId: 'op', caCertificate: join(dir, 'ci.pem') };
    expect(() => validateConfig({ ...config, es2: { ...config.es2, operators: [caWide] } })).toThrow(
      /es2\.operators\[0\]\.caCertificate: would accept every certificate its caCertificate issues.*anyCertificateOfCa: true/,
    );
    expect(validateConfig({ ...config, es2: { ...config.es2, operators: [{ ...caWide, anyCertificateOfCa: true }] } }).es2.operators[0]).toMatchObject({ anyCertificateOfCa: true });
    expect(validateConfig({ ...config, es2: { ...config.es2, operators: [{ ...caWide, commonName: 'op client' }] } }).es2.operators).toHaveLength(1);
    writeFileSync(join(dir, 'ca-wide.yaml'), `es2:\n  operators:\n    - { operatorId: op, caCertificate: ci.pem }\n`);
    expect(() => loadConfig({ root: dir, file: join(dir, 'ca-wide.yaml'), env: {} })).toThrow(ConfigError);
  });
});
