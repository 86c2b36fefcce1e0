// One way to configure every component. A component describes its configuration once, as a zod schema with
// the defaults in it; `loadConfig` then layers, lowest first:
//   1. the schema's defaults,
//   2. values set in code (`base`: e.g. what `zkesim start` chooses for its own SM-DP+),
//   3. a JSON or YAML file (`file`; relative paths in it are relative to the file),
//   4. environment variables (`env`): PREFIX_ + the key path in upper snake case (`es2.port` → SMDP_ES2_PORT),
//   5. command-line options (`overrides`),
// and validates the merged result once against the schema. The validated value's type is the schema's output
// type, so nothing is typed valid before it is. Every failure is a ConfigError naming the key, where the bad
// value came from and what is wrong with it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { environmentVariables, readEnvironmentText, type EnvironmentVariable } from './environment.js';
import { describeIssue } from './issues.js';
import { deleteAt, getAt, isPlain, keyOf, mergeInto, segmentsOf, setAt, type Plain } from './plain.js';
import { isPathValue, shapeOf, unwrap } from './schemaWalk.js';
import { ConfigError, type ConfigSource } from './source.js';
import type { ConfigLayer, ConfigSpec, LoadOptions } from './spec.js';

export { ConfigError, type ConfigSource } from './source.js';
export type { ConfigLayer, ConfigSpec, Environment, LoadOptions } from './spec.js';
export { environmentVariables, type EnvironmentVariable } from './environment.js';
export { keyOf } from './plain.js';

/** What each validated configuration was assembled from, for errors found after validation. */
const ORIGINS = new WeakMap<object, { component: string; sources: Map<string, ConfigSource>; variables: EnvironmentVariable[] }>();

/** Where `key` was set; for a key no layer set, the default, or (for a missing value) what would set it. */
function lookupSource(sources: Map<string, ConfigSource>, variables: readonly EnvironmentVariable[], key: string, missing: boolean): ConfigSource {
  // The key itself, else the nearest enclosing key that was set as a whole (a list given as JSON, say).
  for (let probe = key; probe !== ''; probe = probe.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
    const found = sources.get(probe);
    if (found !== undefined) return found;
    if (!/[.[]/.test(probe)) break;
  }
  // A check over a whole object: the sources of the keys inside it.
  const inside = [...sources.entries()].filter(([set]) => set.startsWith(`${key}.`) || set.startsWith(`${key}[`)).map(([, source]) => source);
  if (inside.length === 1 && inside[0] !== undefined) return inside[0];
  if (inside.length > 1) return { kind: inside[0]?.kind ?? 'code', name: [...new Set(inside.map((source) => source.name))].join(', ') };
  const names = variables.filter((variable) => variable.key === key).map((variable) => variable.name);
  return !missing || names.length === 0 ? { kind: 'default', name: 'default' } : { kind: 'unset', name: `not set; ${names.reverse().join(' or ')} sets it` };
}

/**
 * Where `key` of a configuration returned by `loadConfig` came from; for checks made after validation (files
 * that must exist, certificates that must carry an extension).
 */
export function configSource(config: object, key: string): ConfigSource {
  const origin = ORIGINS.get(config);
  if (origin === undefined) return { kind: 'code', name: 'code' };
  return lookupSource(origin.sources, origin.variables, key, false);
}

/** A ConfigError about `key` of a configuration returned by `loadConfig`, naming where the key was set. */
export function configErrorAt(config: object, component: string, key: string, problem: string, options?: ErrorOptions): ConfigError {
  return new ConfigError({ component: ORIGINS.get(config)?.component ?? component, key, source: configSource(config, key), problem }, options);
}

function recordSources(sources: Map<string, ConfigSource>, values: Plain, source: (key: string) => ConfigSource, prefix = ''): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (isPlain(value)) recordSources(sources, value, source, key);
    else sources.set(key, source(key));
  }
}

/** Resolves relative paths (keys whose schema is `path()`) against `base`. */
function resolvePaths(value: unknown, schema: z.ZodType | undefined, base: string): unknown {
  if (schema === undefined) return value;
  const inner = unwrap(schema);
  if (typeof value === 'string') return isPathValue(inner, value) ? resolve(base, value) : value;
  if (Array.isArray(value)) {
    const element = elementOf(inner);
    return value.map((item) => resolvePaths(item, element, base));
  }
  if (isPlain(value)) {
    const shape = shapeOf(inner);
    if (shape === undefined) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolvePaths(item, shape[key], base)]));
  }
  return value;
}

function elementOf(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; element?: z.ZodType } } })._zod.def;
  return def.type === 'array' ? def.element : undefined;
}

/** Moves alias keys of one layer to their keys. */
function applyAliases(values: Plain, aliases: Readonly<Record<string, string>>, fail: (alias: string, key: string) => never): Plain {
  for (const [alias, key] of Object.entries(aliases)) {
    const aliasPath = segmentsOf(alias);
    const value = getAt(values, aliasPath);
    if (value === undefined) continue;
    if (getAt(values, segmentsOf(key)) !== undefined) fail(alias, key);
    deleteAt(values, aliasPath);
    setAt(values, segmentsOf(key), value);
  }
  return values;
}

function readFileLayer(component: string, path: string): Plain {
  const source: ConfigSource = { kind: 'file', name: path };
  const fail = (problem: string, cause?: unknown): never => {
    throw new ConfigError({ component, key: '', source, problem, unreadableText: true }, cause === undefined ? undefined : { cause });
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot read the file (${error instanceof Error ? error.message : String(error)})`, error);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    fail(`not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlain(parsed)) fail('is not an object of keys and values');
  return parsed as Plain;
}

/**
 * Builds a component's configuration from defaults, code, file, environment and options (in that order) and
 * validates it once. Throws ConfigError.
 */
export function loadConfig<S extends z.ZodType>(spec: ConfigSpec<S>, options: LoadOptions): z.output<S> {
  const { component } = spec;
  const aliases = spec.aliases ?? {};
  const variables = environmentVariables(spec);
  const sources = new Map<string, ConfigSource>();
  const merged: Plain = {};

  const addLayer = (values: object, baseDir: string, source: (key: string) => ConfigSource): void => {
    if (!isPlain(values)) throw new ConfigError({ component, key: '', source: source(''), problem: 'is not an object of keys and values', unreadableText: true });
    const named = applyAliases(structuredClone(values) as Plain, aliases, (alias, key) => {
      throw new ConfigError({ component, key, source: source(key), problem: `set twice, as ${alias} and as ${key}` });
    });
    const layer = resolvePaths(named, spec.schema, baseDir) as Plain;
    recordSources(sources, layer, source);
    mergeInto(merged, layer);
  };
  const layerSource =
    (layer: ConfigLayer, kind: 'code' | 'option') =>
    (key: string): ConfigSource => ({ kind, name: typeof layer.source === 'string' ? layer.source : layer.source(key) });

  if (options.base !== undefined) addLayer(options.base.values, options.cwd, layerSource(options.base, 'code'));
  if (options.file !== undefined) {
    const path = resolve(options.cwd, options.file);
    addLayer(readFileLayer(component, path), dirname(path), () => ({ kind: 'file', name: path }));
  }
  if (options.env !== undefined) {
    const fromEnvironment: Plain = {};
    const setBy = new Map<string, string>();
    const envSources = new Map<string, ConfigSource>();
    for (const variable of variables) {
      const raw = options.env[variable.name];
      // An empty variable counts as unset, as shells make it easy to leave one empty.
      if (raw === undefined || raw === '') continue;
      const source: ConfigSource = { kind: 'env', name: variable.name };
      const other = setBy.get(variable.key);
      if (other !== undefined) {
        throw new ConfigError({ component, key: variable.key, source, problem: `also set by ${other}` });
      }
      setBy.set(variable.key, variable.name);
      const read = readEnvironmentText(raw, variable.kind);
      if ('problem' in read) throw new ConfigError({ component, key: variable.key, source, problem: read.problem, unreadableText: true });
      setAt(fromEnvironment, segmentsOf(variable.key), read.value);
      envSources.set(variable.key, source);
    }
    addLayer(fromEnvironment, options.cwd, (key) => {
      for (const [set, source] of envSources) if (key === set || key.startsWith(`${set}.`)) return source;
      return { kind: 'env', name: 'environment' };
    });
  }
  if (options.overrides !== undefined) addLayer(options.overrides.values, options.cwd, layerSource(options.overrides, 'option'));

  const result = spec.schema.safeParse(merged, { reportInput: true, error: describeIssue });
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue === undefined ? [] : issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const key = keyOf(path);
    throw new ConfigError({ component, key, source: lookupSource(sources, variables, key, true), problem: issue?.message ?? 'invalid' }, { cause: result.error });
  }
  const config = result.data;
  if (typeof config === 'object' && config !== null) ORIGINS.set(config, { component, sources, variables });
  return config;
}
