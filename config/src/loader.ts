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
import { isPathValue, leafKind, shapeOf, unwrap, type LeafKind } from './schemaWalk.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Where a value came from. `name` is the env var, the file path, the option, or a label for code. */
export interface ConfigSource {
  readonly kind: 'default' | 'code' | 'file' | 'env' | 'option' | 'unset';
  readonly name: string;
}

function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'code':
      return `set by ${source.name}`;
    case 'file':
      return `in ${source.name}`;
    case 'env':
    case 'option':
      return `from ${source.name}`;
    case 'unset':
      return source.name;
  }
}

/**
 * A configuration value that is missing, unreadable or not allowed. `key` is the dotted key path
 * (`es9[0].tlsCertificate`), `source` where the value came from (env var name, file path, option), `problem`
 * what is wrong. The message leads with the key (`smdp config es2.mode: must be "port" or "shared" (from
 * SMDP_ES2_MODE)`), except when the text of an env var or a file cannot be read at all: then it leads with that
 * env var or file (`smdp config SMDP_ES2_PORT: "abc" is not a number (for es2.port)`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly component: string;
  readonly key: string;
  readonly source: string;
  readonly sourceKind: ConfigSource['kind'];
  readonly problem: string;

  constructor(details: { component: string; key: string; source: ConfigSource; problem: string; unreadableText?: boolean }, options?: ErrorOptions) {
    const { component, key, source, problem } = details;
    super(
      details.unreadableText === true
        ? `${component} config ${source.name}: ${problem}${key === '' ? '' : ` (for ${key})`}`
        : `${component} config ${key}: ${problem} (${describeSource(source)})`,
      options,
    );
    this.component = component;
    this.key = key;
    this.source = source.name;
    this.sourceKind = source.kind;
    this.problem = problem;
  }
}

/** A component's configuration: its name in messages, its env var prefix, its schema and key aliases. */
export interface ConfigSpec<S extends z.ZodType> {
  /** Name used in error messages (`smdp config …`). */
  readonly component: string;
  /** Environment variables are `${envPrefix}_${KEY_PATH}`. */
  readonly envPrefix: string;
  /** Schema with defaults; objects should be strict so that unknown keys are refused. */
  readonly schema: S;
  /**
   * Other names of keys, accepted in files and (through their derived env var names) in the environment:
   * `{ databasePath: 'storage.path' }` makes `databasePath:` and SMDP_DATABASE_PATH set `storage.path`.
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Values set in code or on the command line, with the name each key's source is reported under. */
export interface ConfigLayer {
  readonly values: object;
  /** A label ("zkesim start") or, per key, an option name (`(key) => '--ci'`). */
  readonly source: string | ((key: string) => string);
}

export interface LoadOptions {
  /** Relative paths in code, environment and options are relative to this folder. */
  readonly cwd: string;
  readonly base?: ConfigLayer;
  readonly file?: string;
  readonly env?: Environment;
  readonly overrides?: ConfigLayer;
}

type Plain = { [key: string]: unknown };
type Segment = string | number;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `['es9', 0, 'port']` → `es9[0].port`. */
export function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number') key += `[${segment}]`;
    else key += key === '' ? String(segment) : `.${String(segment)}`;
  }
  return key;
}

function segmentsOf(key: string): Segment[] {
  return key.split('.');
}

function envSuffix(key: string): string {
  return segmentsOf(key)
    .map((segment) => String(segment).replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase())
    .join('_');
}

export interface EnvironmentVariable {
  /** The variable (`SMDP_ES2_PORT`). */
  readonly name: string;
  /** The key it sets (`es2.port`). */
  readonly key: string;
  /** How its text is read: a number, a boolean, a list (JSON array or comma-separated), or text. */
  readonly kind: LeafKind;
}

/** Every environment variable of a component, derived from its schema and aliases. */
export function environmentVariables(spec: ConfigSpec<z.ZodType>): EnvironmentVariable[] {
  const leaves: { key: string; kind: LeafKind }[] = [];
  const walk = (schema: z.ZodType, prefix: string): void => {
    const shape = shapeOf(schema);
    if (shape === undefined) return;
    for (const [name, child] of Object.entries(shape)) {
      const key = prefix === '' ? name : `${prefix}.${name}`;
      const inner = unwrap(child);
      if (shapeOf(inner) !== undefined) walk(inner, key);
      else leaves.push({ key, kind: leafKind(inner) });
    }
  };
  walk(spec.schema, '');
  const variables = leaves.map(({ key, kind }) => ({ name: `${spec.envPrefix}_${envSuffix(key)}`, key, kind }));
  for (const [alias, key] of Object.entries(spec.aliases ?? {})) {
    const target = leaves.find((leaf) => leaf.key === key);
    if (target === undefined) throw new Error(`alias ${alias} names no key of the ${spec.component} schema: ${key}`);
    variables.push({ name: `${spec.envPrefix}_${envSuffix(alias)}`, key, kind: target.kind });
  }
  return variables;
}

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

function setAt(target: Plain, segments: readonly Segment[], value: unknown): void {
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (isPlain(next)) node = next;
    else {
      const created: Plain = {};
      node[segment] = created;
      node = created;
    }
  }
  node[segments[segments.length - 1] ?? ''] = value;
}

function getAt(target: Plain, segments: readonly Segment[]): unknown {
  let node: unknown = target;
  for (const segment of segments) {
    if (!isPlain(node)) return undefined;
    node = node[segment];
  }
  return node;
}

function deleteAt(target: Plain, segments: readonly Segment[]): void {
  const parent = getAt(target, segments.slice(0, -1));
  if (isPlain(parent)) delete parent[segments[segments.length - 1] ?? ''];
}

/** Deep merge: objects merge key by key, anything else (lists too) replaces; undefined leaves nothing. */
function mergeInto(target: Plain, overlay: Plain): void {
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlain(current) && isPlain(value)) mergeInto(current, value);
    else target[key] = isPlain(value) ? structuredClone(value) : value;
  }
}

/** Records `source` for every value in `values` (leaves and lists; objects are walked). */
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

const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0']);

/** Reads an env var's text as the type its key has in the schema. */
function readEnvironmentText(raw: string, kind: LeafKind): { value: unknown } | { problem: string } {
  switch (kind) {
    case 'number': {
      const value = Number(raw.trim());
      return raw.trim() !== '' && Number.isFinite(value) ? { value } : { problem: `"${raw}" is not a number` };
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (TRUE.has(text)) return { value: true };
      if (FALSE.has(text)) return { value: false };
      return { problem: `"${raw}" is not true or false (or on/off)` };
    }
    case 'list':
      if (raw.trim().startsWith('[')) {
        try {
          return { value: JSON.parse(raw) as unknown };
        } catch (error) {
          return { problem: `not a JSON list (${error instanceof Error ? error.message : String(error)})` };
        }
      }
      return { value: raw.split(',').map((item) => item.trim()).filter((item) => item !== '') };
    case 'text':
      return { value: raw };
  }
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

const quote = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

function listOf(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : quoted.length === 1 ? (quoted[0] ?? '') : `one of ${quoted.join(', ')}`;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object of keys and values',
};

/** Messages for schema issues that the schema gives no message of its own. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${JSON.stringify(issue.input)}`;
    case 'invalid_value':
      return `must be ${listOf(issue.values)}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `needs at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive === true ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${issue.maximum} entries`;
      if (issue.origin === 'string') return `takes at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive === true ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return issue.discriminator !== undefined && issue.options !== undefined ? `must be ${listOf(issue.options as readonly unknown[])}` : undefined;
    default:
      return undefined;
  }
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
