// Writes generated/componentAccess.ts: for every component name of the codec tables (SEQUENCE and SET
// fields, CHOICE alternatives), a read and a write of that property as code of its own. The DER runtime
// uses them instead of `value[name]` with the name in a variable: each access then keeps its own inline
// cache in V8 instead of sharing one that every type and name pass through (a megamorphic keyed access).
import type { SchemaTable, TypeSchema } from '../../src/asn1/runtime/schema.js';

function collect(type: TypeSchema, names: Set<string>): void {
  switch (type.t) {
    case 'tag':
      return collect(type.type, names);
    case 'seq':
    case 'set':
      for (const field of type.fields) {
        names.add(field.name);
        collect(field.type, names);
      }
      return;
    case 'choice':
      for (const alt of type.alts) {
        names.add(alt.name);
        collect(alt.type, names);
      }
      return;
    case 'seqof':
    case 'setof':
      return collect(type.of, names);
    default:
      return;
  }
}

export function componentAccessFile(header: string, table: SchemaTable): string {
  const names = new Set<string>();
  for (const assignment of Object.values(table.types)) collect(assignment.type, names);
  const entries = [...names].sort().map((name) => {
    // X.680 §12.3 identifiers: letters, digits and hyphens, so the name needs no escaping in a string literal.
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) throw new Error(`asn1c: component name '${name}' is not an ASN.1 identifier`);
    return `  ['${name}', { get: (value) => value['${name}'], set: (value, item) => { value['${name}'] = item; } }],`;
  });
  return `${header}// Each component name of the codec tables read and written as code of its own (see tools/asn1c/emitComponentAccess.ts).
type Value = Record<string, unknown>;

export interface ComponentAccess {
  readonly get: (value: Value) => unknown;
  readonly set: (value: Value, item: unknown) => void;
}

export const componentAccess: ReadonlyMap<string, ComponentAccess> = new Map<string, ComponentAccess>([
${entries.join('\n')}
]);
`;
}
