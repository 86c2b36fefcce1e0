// What the loader needs to know about a schema: the keys of an object (or of the members of a union of
// objects), the type of a leaf (so an env var's text can be read as a number, a boolean or a list), and which
// strings are file paths (resolved against the file that names them).
import type { z } from 'zod';

interface Definition {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: readonly z.ZodType[];
  element?: z.ZodType;
}

function definitionOf(schema: z.ZodType): Definition {
  return (schema as unknown as { _zod: { def: Definition } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/preprocess wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = definitionOf(current);
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined && def.out !== undefined) current = definitionOf(def.in).type === 'transform' ? def.out : def.in;
    else return current;
  }
}

/** Keys of an object schema; for a union of objects, the keys of all its members (the first member wins). */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = definitionOf(unwrap(schema));
  if (def.type === 'object') return def.shape;
  if (def.type === 'union' && def.options !== undefined) {
    const shapes = def.options.map(shapeOf);
    if (shapes.some((shape) => shape === undefined)) return undefined;
    const merged: Record<string, z.ZodType> = {};
    for (const shape of shapes) for (const [key, value] of Object.entries(shape ?? {})) merged[key] ??= value;
    return merged;
  }
  return undefined;
}

export type LeafKind = 'number' | 'boolean' | 'list' | 'text';

export function leafKind(schema: z.ZodType): LeafKind {
  switch (definitionOf(unwrap(schema)).type) {
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    default:
      return 'text';
  }
}

/** Path schemas, each with the values that are names rather than paths (SQLite's `:memory:`). */
const PATHS = new WeakMap<z.ZodType, ReadonlySet<string>>();

export function markPath<T extends z.ZodType>(schema: T, verbatim: readonly string[] = []): T {
  PATHS.set(schema, new Set(verbatim));
  return schema;
}

/** Whether `value` of a key with this schema is a path to resolve. */
export function isPathValue(schema: z.ZodType, value: string): boolean {
  const verbatim = PATHS.get(unwrap(schema));
  return verbatim !== undefined && !verbatim.has(value);
}
