// The OBJECT IDENTIFIER decoder before its number fast path (all arcs as BigInt), to compare against.
import { ContentError, decodeString as runtimeDecodeString } from '../../../src/asn1/runtime/primitives.js';
import type { StringKind } from '../../../src/asn1/runtime/schema.js';

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

// The INTEGER and character string readings before their fast paths (a BigInt operation per octet, a view
// and a spread per string, code points counted by spreading), to compare against.

export function decodeInteger(content: Uint8Array, big: boolean): number | bigint {
  if (content.length === 0) throw new ContentError('invalid-value', 'INTEGER with no content octets');
  let unsigned = 0n;
  for (const octet of content) unsigned = (unsigned << 8n) | BigInt(octet);
  const value = content[0]! & 0x80 ? unsigned - (1n << BigInt(8 * content.length)) : unsigned;
  if (big) return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ContentError('invalid-value', 'INTEGER out of the safe range of this type');
  }
  return Number(value);
}

export function encodeInteger(value: number | bigint): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new ContentError('invalid-value', `${value} is not a safe integer`);
  let big = BigInt(value);
  const octets: number[] = [];
  for (;;) {
    octets.unshift(Number(big & 0xffn));
    const rest = big >> 8n;
    const sign = octets[0]! & 0x80;
    if ((rest === 0n && !sign) || (rest === -1n && sign)) break;
    big = rest;
  }
  return Uint8Array.from(octets);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeString(kind: StringKind | 'time', content: Uint8Array): string {
  switch (kind) {
    case 'UTF8String':
      try {
        return utf8.decode(content);
      } catch {
        throw new ContentError('invalid-value', 'UTF8String is not valid UTF-8');
      }
    case 'BMPString':
    case 'UniversalString':
      return runtimeDecodeString(kind, content);
    default:
      return String.fromCharCode(...content);
  }
}

export function characterCount(kind: StringKind, text: string): number {
  return kind === 'UTF8String' || kind === 'UniversalString' ? [...text].length : text.length;
}
