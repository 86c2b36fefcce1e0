// Byte-level mutations of valid DER for the decoder fuzz and the compiled-codec property tests: flip a bit, set
// or insert a byte, delete one, truncate; `mutations` draws one to four of them.
import fc from 'fast-check';

export type Mutation = { kind: 'flip' | 'set' | 'insert' | 'delete' | 'truncate'; at: number; byte: number };

export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(input);
  for (const { kind, at, byte } of mutations) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (kind === 'flip') bytes[i] = (bytes[i] ?? 0) ^ (1 << (byte & 7));
    else if (kind === 'set') bytes[i] = byte;
    else if (kind === 'insert') bytes.splice(i, 0, byte);
    else if (kind === 'delete') bytes.splice(i, 1);
    else bytes = bytes.slice(0, i);
  }
  return Uint8Array.from(bytes);
}

export const mutations = fc.array(
  fc.record({ kind: fc.constantFrom<Mutation['kind']>('flip', 'set', 'insert', 'delete', 'truncate'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  { minLength: 1, maxLength: 4 },
);
