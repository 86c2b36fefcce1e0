// The key under which a client's address is limited (connections, unauthenticated sessions): an IPv4 address
// as it is (also when it arrives IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address by its /64 prefix, since
// one IPv6 host normally holds a whole /64 (RFC 4291 §2.5.4, RFC 7421) and could otherwise use a fresh
// address for every connection.
import { isIPv6 } from 'node:net';

export function sourceKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  // No colon: a dotted IPv4 address as node reports it (or no IP at all), kept as it is. Checked first because
  // it is the common case and `isIPv6` runs a long regular expression.
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
