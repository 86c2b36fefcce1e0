import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configErrorAt, configSource, environmentVariables, loadConfig, path, pathList, port, positiveInteger, stackDataDir, stackPaths, type ConfigSpec } from './index.js';

const schema = z.strictObject({
  name: z.string().default('default-name'),
  server: z
    .strictObject({
      port: port().default(8080),
      tls: z.boolean().default(false),
      certificate: path().optional(),
    })
    .prefault({}),
  retries: positiveInteger().default(3),
  mode: z.enum(['fast', 'slow']).default('fast'),
  files: pathList().default([]),
  tags: z.array(z.string()).default([]),
  store: z
    .preprocess(
      (value) => (typeof value === 'object' && value !== null && !('kind' in value) ? { kind: 'file', ...value } : value),
      z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('file'), location: path({ verbatim: [':memory:'] }).default('/var/db') })]),
    )
    .prefault({}),
});

const spec: ConfigSpec<typeof schema> = { component: 'demo', envPrefix: 'DEMO', schema, aliases: { storePath: 'store.location' } };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('loadConfig: defaults < code < file < environment < options', () => {
  it('gives the schema defaults with nothing set', () => {
    expect(loadConfig(spec, { cwd: dir })).toEqual({
      name: 'default-name',
      server: { port: 8080, tls: false },
      retries: 3,
      mode: 'fast',
      files: [],
      tags: [],
      store: { kind: 'file', location: '/var/db' },
    });
  });

  it('layers code, a YAML file, the environment and options, each over the one before, key by key', () => {
    writeFileSync(join(dir, 'demo.yaml'), 'name: from-file\nserver:\n  port: 9000\n  tls: true\nretries: 7\n');
    const config = loadConfig(spec, {
      cwd: dir,
      base: { values: { name: 'from-code', server: { port: 1 }, mode: 'slow' }, source: 'the test' },
      file: 'demo.yaml',
      env: { DEMO_SERVER_PORT: '9100', DEMO_RETRIES: '8', OTHER_VARIABLE: 'x' },
      overrides: { values: { retries: 9, name: undefined }, source: (key) => `--${key}` },
    });
    expect(config).toMatchObject({ name: 'from-file', server: { port: 9100, tls: true }, retries: 9, mode: 'slow' });
    expect(configSource(config, 'name')).toEqual({ kind: 'file', name: join(dir, 'demo.yaml') });
    expect(configSource(config, 'server.port')).toEqual({ kind: 'env', name: 'DEMO_SERVER_PORT' });
    expect(configSource(config, 'retries')).toEqual({ kind: 'option', name: '--retries' });
    expect(configSource(config, 'mode')).toEqual({ kind: 'code', name: 'the test' });
    expect(configSource(config, 'tags')).toEqual({ kind: 'default', name: 'default' });
  });

  it('reads JSON files too, and resolves relative paths against the file, the working directory for the rest', () => {
    mkdtempSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'demo.json'), JSON.stringify({ server: { certificate: 'tls/cert.pem' }, files: ['a.txt', '/abs/b.txt'], tags: ['x/y'] }));
    const fromFile = loadConfig(spec, { cwd: '/elsewhere', file: join(dir, 'demo.json') });
    expect(fromFile.server.certificate).toBe(join(dir, 'tls/cert.pem'));
    expect(fromFile.files).toEqual([join(dir, 'a.txt'), '/abs/b.txt']);
    expect(fromFile.tags).toEqual(['x/y']);
    const fromEnvironment = loadConfig(spec, { cwd: dir, env: { DEMO_FILES: 'c.txt,d.txt', DEMO_STORE_LOCATION: ':memory:' } });
    expect(fromEnvironment.files).toEqual([join(dir, 'c.txt'), join(dir, 'd.txt')]);
    expect(fromEnvironment.store.location).toBe(':memory:');
  });

  it('maps env var names to keys in upper snake case, aliases included', () => {
    expect(environmentVariables(spec).map(({ name, key, kind }) => `${name}=${key}:${kind}`)).toEqual([
      'DEMO_NAME=name:text',
      'DEMO_SERVER_PORT=server.port:number',
      'DEMO_SERVER_TLS=server.tls:boolean',
      'DEMO_SERVER_CERTIFICATE=server.certificate:text',
      'DEMO_RETRIES=retries:number',
      'DEMO_MODE=mode:text',
      'DEMO_FILES=files:list',
      'DEMO_TAGS=tags:list',
      'DEMO_STORE_KIND=store.kind:text',
      'DEMO_STORE_LOCATION=store.location:text',
      'DEMO_STORE_PATH=store.location:text',
    ]);
  });

  it('coerces env text by the type the schema gives the key', () => {
    const config = loadConfig(spec, {
      cwd: dir,
      env: { DEMO_SERVER_PORT: ' 8443 ', DEMO_SERVER_TLS: 'on', DEMO_TAGS: '["a,b", "c"]', DEMO_NAME: '42', DEMO_MODE: '' },
    });
    expect(config).toMatchObject({ server: { port: 8443, tls: true }, tags: ['a,b', 'c'], name: '42', mode: 'fast' });
    for (const [text, value] of [['true', true], ['false', false], ['off', false], ['1', true], ['no', false]] as const) {
      expect(loadConfig(spec, { cwd: dir, env: { DEMO_SERVER_TLS: text } }).server.tls).toBe(value);
    }
    expect(loadConfig(spec, { cwd: dir, env: { DEMO_TAGS: ' a , b ,, c' } }).tags).toEqual(['a', 'b', 'c']);
  });

  it('takes an alias in a file and in the environment', () => {
    writeFileSync(join(dir, 'alias.yaml'), 'storePath: db/demo.db\n');
    expect(loadConfig(spec, { cwd: dir, file: join(dir, 'alias.yaml') }).store).toEqual({ kind: 'file', location: join(dir, 'db/demo.db') });
    expect(loadConfig(spec, { cwd: dir, env: { DEMO_STORE_PATH: '/x.db' } }).store.location).toBe('/x.db');
    const twice = errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_STORE_PATH: '/x.db', DEMO_STORE_LOCATION: '/y.db' } }));
    expect(twice).toMatchObject({ key: 'store.location', source: 'DEMO_STORE_PATH', problem: 'also set by DEMO_STORE_LOCATION' });
  });
});

describe('ConfigError names the key, the source and the problem', () => {
  it('for env text that is not of the key type, leading with the variable', () => {
    const error = errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_SERVER_PORT: 'abc' } }));
    expect(error).toMatchObject({ component: 'demo', key: 'server.port', source: 'DEMO_SERVER_PORT', sourceKind: 'env', problem: '"abc" is not a number' });
    expect(error.message).toBe('demo config DEMO_SERVER_PORT: "abc" is not a number (for server.port)');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_SERVER_TLS: 'maybe' } })).message).toMatch(/^demo config DEMO_SERVER_TLS: "maybe" is not true or false/);
    expect(errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_TAGS: '[1,' } })).message).toMatch(/^demo config DEMO_TAGS: not a JSON list/);
  });

  it('for a value the schema refuses, leading with the key', () => {
    const fromEnvironment = errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_MODE: 'medium' } }));
    expect(fromEnvironment.message).toBe('demo config mode: must be "fast" or "slow" (from DEMO_MODE)');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_SERVER_PORT: '70000' } })).message).toBe(
      'demo config server.port: must be a port number 0..65535 (from DEMO_SERVER_PORT)',
    );
    expect(errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_RETRIES: '0' } })).message).toBe('demo config retries: must be a positive integer (from DEMO_RETRIES)');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, env: { DEMO_STORE_KIND: 'cloud' } })).message).toBe('demo config store.kind: must be "file" (from DEMO_STORE_KIND)');
    const fromCode = errorOf(() => loadConfig(spec, { cwd: dir, base: { values: { server: { port: -1 } }, source: 'the test' } }));
    expect(fromCode.message).toBe('demo config server.port: must be a port number 0..65535 (set by the test)');
    const fromOption = errorOf(() => loadConfig(spec, { cwd: dir, overrides: { values: { mode: 'x' }, source: (key) => `--${key}` } }));
    expect(fromOption).toMatchObject({ key: 'mode', source: '--mode', sourceKind: 'option' });
  });

  it('for file contents: wrong types, unknown keys (inside lists too), the file path as source', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server:\n  port: "8080"\n');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file })).message).toBe(`demo config server.port: must be a number, not "8080" (in ${file})`);
    writeFileSync(file, 'server:\n  prot: 1\n');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file }))).toMatchObject({ key: 'server.prot', source: file, sourceKind: 'file', problem: 'unknown key' });
    writeFileSync(file, 'store:\n  kind: file\n  location: x\n  extra: 1\n');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file })).key).toBe('store.extra');
  });

  it('for a file that cannot be read or parsed, leading with the file', () => {
    const missing = join(dir, 'missing.yaml');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file: missing })).message).toMatch(new RegExp(`^demo config ${missing}: cannot read the file \\(ENOENT`));
    writeFileSync(join(dir, 'broken.json'), '{ "name": ');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file: join(dir, 'broken.json') })).message).toMatch(/broken\.json: not valid JSON/);
    writeFileSync(join(dir, 'list.yaml'), '- 1\n- 2\n');
    expect(errorOf(() => loadConfig(spec, { cwd: dir, file: join(dir, 'list.yaml') })).message).toMatch(/list\.yaml: is not an object of keys and values$/);
  });

  it('for a required key that is not set, naming the variables that set it', () => {
    const required = z.strictObject({ token: z.string(), port: port().default(1) });
    const error = errorOf(() => loadConfig({ component: 'svc', envPrefix: 'SVC', schema: required, aliases: { apiToken: 'token' } }, { cwd: dir }));
    expect(error.message).toBe('svc config token: required (not set; SVC_API_TOKEN or SVC_TOKEN sets it)');
  });

  it('for checks made after validation, through configErrorAt', () => {
    const config = loadConfig(spec, { cwd: dir, env: { DEMO_FILES: '/a,/b' } });
    expect(configErrorAt(config, 'demo', 'files[1]', 'file not found: /b').message).toBe('demo config files[1]: file not found: /b (from DEMO_FILES)');
    expect(configErrorAt({}, 'demo', 'files', 'no').message).toBe('demo config files: no (set by code)');
  });
});

describe('stackDataDir', () => {
  it('is ZKESIM_DATA_DIR relative to the working directory, else ./data', () => {
    expect(stackDataDir({}, '/work/repo')).toBe('/work/repo/data');
    expect(stackDataDir({ ZKESIM_DATA_DIR: '' }, '/work/repo')).toBe('/work/repo/data');
    expect(stackDataDir({ ZKESIM_DATA_DIR: 'other' }, '/work/repo')).toBe('/work/repo/other');
    expect(stackDataDir({ ZKESIM_DATA_DIR: '/srv/zkesim' }, '/work/repo')).toBe('/srv/zkesim');
    expect(stackPaths('/srv/zkesim')).toMatchObject({ chain: '/srv/zkesim/chain', smdpConfig: '/srv/zkesim/smdp/config.json', lpa: '/srv/zkesim/lpa' });
  });
});
