// sourceKey's IPv4 fast path (no colon: returned as it is) against the reading it replaced, which sent every
// address through the IPv4-mapped pattern and node's isIPv6 first, on random addresses of every shape node
// reports (IPv4, IPv4-mapped, IPv6 full, compressed, with a zone) and on strings that are no address at all.
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sourceKey } from './sourceKey.js';

/** The implementation before the fast path, kept as the reference. */
function referenceSourceKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const ipv4 = fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }).map((bytes) => bytes.join('.'));
/** A hex group as node may report it: 1 to 4 digits, with or without leading zeros. */
const group = fc.tuple(fc.nat(0xffff), fc.nat(4), fc.nat(3)).map(([value, pad, keep]) => value.toString(16).padStart(pad, '0').slice(-keep - 1));
const groups = (min: number, max: number) => fc.array(group, { minLength: min, maxLength: max }).map((list) => list.join(':'));
const anyCase = (text: fc.Arbitrary<string>) => fc.tuple(text, fc.boolean()).map(([value, upper]) => (upper ? value.toUpperCase() : value));
const address = fc.oneof(
  ipv4,
  anyCase(ipv4.map((v4) => `::ffff:${v4}`)),
  anyCase(groups(8, 8)),
  anyCase(fc.nat(6).chain((left) => fc.tuple(groups(left, left), groups(0, 6 - left)).map(([head, tail]) => `${head}::${tail}`))),
  fc.tuple(groups(0, 3), fc.nat(2)).map(([tail, n]) => `fe80::${tail}%eth${n}`),
  fc.oneof(fc.constant('1'), ipv4).map((rest) => `::${rest}`),
  fc.constantFrom('', 'localhost', 'not an address', ':', ':::', '1.2.3', '::ffff:1.2.3', '1::2::3', '1.2.3.4:80'),
  fc.array(fc.constantFrom(...'0123456789abcdefABCDEF:.%'), { maxLength: 11 }).map((chars) => chars.join('')),
  groups(0, 8),
);

describe('sourceKey against the reading it replaced', () => {
  it('gives the same key for 20 000 random addresses', () => {
    fc.assert(fc.property(address, (value) => sourceKey(value) === referenceSourceKey(value)), { numRuns: 20_000 });
    expect(sourceKey(undefined)).toBe(referenceSourceKey(undefined));
  });

  it('keeps IPv4 as it is, maps IPv4-mapped addresses and takes an IPv6 /64', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('2001:db8:0:1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
  });
});
