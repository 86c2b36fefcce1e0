// The OBJECT IDENTIFIER decoder before its number fast path (all arcs as BigInt), to compare against.
import { ContentError } from '../../../src/asn1/runtime/primitives.js';

export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER with no content octets');
  const arcs: bigint[] = [];
  let current = 0n;
  let fresh = true;
  for (let i = 0; i < content.length; i++) {
    const octet = content[i]!;
    if (fresh && octet === 0x80) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER subidentifier with a leading 0x80');
    current = (current << 7n) | BigInt(octet & 0x7f);
    fresh = false;
    if ((octet & 0x80) === 0) {
      arcs.push(current);
      current = 0n;
      fresh = true;
    }
  }
  if (!fresh) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER ends inside a subidentifier');
  // The first subidentifier packs two arcs; a second arc ≥ 40 is only possible under arc 2 (2.999…).
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
