// What a component declares about its configuration, and what a caller hands the loader.
import type { z } from 'zod';

export type Environment = Readonly<Record<string, string | undefined>>;

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

