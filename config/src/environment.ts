// Environment variables of a component: their names, derived from its schema (PREFIX_ + the key path in upper
// snake case), and how their text is read as the key's type.
import type { z } from 'zod';
import { segmentsOf } from './plain.js';
import { leafKind, shapeOf, unwrap, type LeafKind } from './schemaWalk.js';
import type { ConfigSpec } from './spec.js';

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

const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0']);

/** Reads an env var's text as the type its key has in the schema. */
export function readEnvironmentText(raw: string, kind: LeafKind): { value: unknown } | { problem: string } {
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

