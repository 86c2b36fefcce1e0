// Schema pieces every component uses, with the messages the errors show.
import { z } from 'zod';
import { markPath } from './schemaWalk.js';

/**
 * A file or folder path. Relative paths are resolved against the config file that names them (or the working
 * directory for code, environment and options). Wrap it only with .optional() / .default(): the loader
 * recognises this schema object itself. `verbatim` values are names, not paths (SQLite's `:memory:`).
 */
export function path(options: { verbatim?: readonly string[] } = {}): z.ZodString {
  return markPath(z.string().min(1, 'must be a non-empty path'), options.verbatim);
}

/** A list of paths; as an env var, comma-separated or a JSON list. */
export function pathList(): z.ZodArray<z.ZodString> {
  return z.array(path());
}

/** A TCP port; 0 picks a free one. */
export function port(): z.ZodNumber {
  const message = 'must be a port number 0..65535';
  return z.number().int(message).min(0, message).max(65535, message);
}

export function positiveNumber(): z.ZodNumber {
  return z.number().positive('must be a positive number');
}

export function positiveInteger(): z.ZodNumber {
  const message = 'must be a positive integer';
  return z.number().int(message).min(1, message);
}

export function nonEmptyText(): z.ZodString {
  return z.string().min(1, 'must be a non-empty string');
}
