import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { checkConfigFiles } from './configValidation.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SM-DP+ configuration: defaults → file → SMDP_* environment', () => {
  it('has working defaults under <root>/data', () => {
    const config = loadConfig({ root: dir, env: {} });
    expect(config.storage.path).toBe(join(dir, 'data/smdp/smdp.db'));
    expect(config.es2.mode).toBe('port');
    expect(config.limits.maxBodyBytes).toBe(65536);
  });

  it('lets a YAML file override defaults, resolving paths relative to the file', () => {
    writeFileSync(join(dir, 'smdp.yaml'), 'address: rsp.example.com\ndatabasePath: db/smdp.db\nlimits:\n  maxSessions: 50\n');
    const config = loadConfig({ root: '/elsewhere', file: join(dir, 'smdp.yaml'), env: {} });
    expect(config.address).toBe('rsp.example.com');
    expect(config.storage.path).toBe(join(dir, 'db/smdp.db'));
    expect(config.limits).toMatchObject({ maxSessions: 50, maxBodyBytes: 65536 });
  });

  it('lets the environment override the file', () => {
    writeFileSync(join(dir, 'smdp.json'), JSON.stringify({ address: 'file.example.com', es2: { port: 9000 } }));
    const config = loadConfig({
      root: dir,
      file: join(dir, 'smdp.json'),
      env: { SMDP_ADDRESS: 'env.example.com', SMDP_ES2_PORT: '9100', SMDP_LIMITS_MAX_BODY_BYTES: '1024', SMDP_ES2_MODE: 'shared' },
    });
    expect(config).toMatchObject({ address: 'env.example.com', es2: { port: 9100, mode: 'shared' }, limits: { maxBodyBytes: 1024 } });
  });

  it('names the key of a missing certificate file at start-up', () => {
    const config = loadConfig({ root: dir, env: {} });
    expect(() => checkConfigFiles(config, () => false)).toThrow(/^smdp config es9\[0\]\.tlsCertificate: file not found: .*pki init/);
    expect(() => checkConfigFiles(config, () => true)).not.toThrow();
  });

  it('refuses bad values with a message naming the key', () => {
    expect(() => loadConfig({ root: dir, env: { SMDP_ES2_PORT: 'abc' } })).toThrow('smdp config SMDP_ES2_PORT: "abc" is not a number');
    expect(() => loadConfig({ root: dir, env: { SMDP_ES2_MODE: 'both' } })).toThrow('smdp config es2.mode: must be "port" or "shared"');
    writeFileSync(join(dir, 'bad.yaml'), 'limits:\n  maxBodyByte: 3\n');
    expect(() => loadConfig({ root: dir, file: join(dir, 'bad.yaml'), env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ root: dir, file: join(dir, 'bad.yaml'), env: {} })).toThrow('limits.maxBodyByte: unknown key');
  });
});
