// sourceKey's IPv4 fast path (no colon: returned as it is) against the reading it replaced, which sent every
// address through the IPv4-mapped pattern and node's isIPv6 first, on random addresses of every shape node
// reports (IPv4, IPv4-mapped, IPv6 full, compressed, with a zone) and on strings that are no address at all.
import { isIPv6 } from 'node:net';
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

/** A small seeded generator (mulberry32), so that a failure names a seed that reproduces it. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomAddress(next: () => number): string {
  const int = (n: number) => Math.floor(next() * n);
  const ipv4 = () => Array.from({ length: 4 }, () => String(int(256))).join('.');
  const group = () => int(0x10000).toString(16).padStart(int(5), '0').slice(-int(4) - 1);
  const groups = (n: number) => Array.from({ length: n }, group);
  const upper = (text: string) => (int(2) === 0 ? text : text.toUpperCase());
  switch (int(9)) {
    case 0: return ipv4();
    case 1: return `${upper('::ffff:')}${ipv4()}`;
    case 2: return upper(groups(8).join(':'));
    case 3: { const left = int(7); return upper(`${groups(left).join(':')}::${groups(int(7 - left)).join(':')}`); }
    case 4: return `fe80::${groups(int(4)).join(':')}%eth${int(3)}`;
    case 5: return `::${int(2) === 0 ? '1' : ipv4()}`;
    case 6: return ['', 'localhost', 'not an address', ':', ':::', '1.2.3', '::ffff:1.2.3', '1::2::3', '1.2.3.4:80'][int(9)] as string;
    case 7: return Array.from({ length: int(12) }, () => '0123456789abcdefABCDEF:.%'[int(25)]).join('');
    default: return groups(int(9)).join(':');
  }
}

describe('sourceKey against the reading it replaced', () => {
  it('gives the same key for 20 000 random addresses', () => {
    const seed = Date.now();
    const next = generator(seed);
    for (let i = 0; i < 20_000; i += 1) {
      const address = randomAddress(next);
      expect(sourceKey(address), `seed ${seed}, address ${JSON.stringify(address)}`).toBe(referenceSourceKey(address));
    }
    expect(sourceKey(undefined)).toBe(referenceSourceKey(undefined));
  });

  it('keeps IPv4 as it is, maps IPv4-mapped addresses and takes an IPv6 /64', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('2001:db8:0:1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
  });
});
