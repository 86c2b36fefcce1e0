// Plain configuration values (parsed JSON/YAML, env layers): key paths and reading, writing and merging
// nested values by path.

export type Plain = { [key: string]: unknown };
export type Segment = string | number;

export function isPlain(value: unknown): value is Plain {
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

export function segmentsOf(key: string): Segment[] {
  return key.split('.');
}

export function setAt(target: Plain, segments: readonly Segment[], value: unknown): void {
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

export function getAt(target: Plain, segments: readonly Segment[]): unknown {
  let node: unknown = target;
  for (const segment of segments) {
    if (!isPlain(node)) return undefined;
    node = node[segment];
  }
  return node;
}

export function deleteAt(target: Plain, segments: readonly Segment[]): void {
  const parent = getAt(target, segments.slice(0, -1));
  if (isPlain(parent)) delete parent[segments[segments.length - 1] ?? ''];
}

/** Deep merge: objects merge key by key, anything else (lists too) replaces; undefined leaves nothing. */
export function mergeInto(target: Plain, overlay: Plain): void {
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlain(current) && isPlain(value)) mergeInto(current, value);
    else target[key] = isPlain(value) ? structuredClone(value) : value;
  }
}

/** Records `source` for every value in `values` (leaves and lists; objects are walked). */
