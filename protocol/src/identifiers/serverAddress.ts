// The address of an RSP server as SGP.22 passes it around: the SM-DP+ address of an activation code
// (§4.1) and of InitiateAuthentication, the SM-DS address of ES2+.ConfirmOrder (§5.3.2) and of ES11, the
// rspServerAddress of an event (§5.9). Each is a host, optionally with a port, and nothing else: the server
// builds `https://<address>/gsma/rsp2/...` from it, so a path, userinfo, a scheme or a control character in
// it would change where a request goes. Host names follow RFC 1123 §2.1 (labels of letters, digits and
// hyphens, 1 to 63 characters, not starting or ending with a hyphen; at most 253 characters in all); IP
// literals are dotted IPv4 or bracketed IPv6 (RFC 3986 §3.2.2); a port is 1 to 65535.
import { isIPv6 } from 'node:net';
import { InvalidIdentifier } from './errors.js';

/** A host name or IP literal with an optional `:port`, made by {@link serverAddress}. */
export type ServerAddress = string & { readonly __brand: 'ServerAddress' };

const hostLabel = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const withPort = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** Why `text` is not a server address, or undefined when it is one. */
function problem(text: string): string | undefined {
  const match = withPort.exec(text);
  if (match === null) return 'is not host[:port]';
  const [, host = '', port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `port ${port} is out of range`;
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1)) ? undefined : `${host} is not an IPv6 literal`;
  const v4 = ipv4.exec(host);
  if (v4 !== null) return v4.slice(1).some((part) => Number(part) > 255) ? `${host} is not an IPv4 address` : undefined;
  if (host.length > 253 || !host.split('.').every((label) => hostLabel.test(label))) return 'is not a valid host name';
  return undefined;
}

/** True when `text` is a host name or IP literal with an optional `:port`. */
export function isServerAddress(text: string): text is ServerAddress {
  return problem(text) === undefined;
}

/**
 * `text` as a server address; throws InvalidIdentifier naming `field` otherwise.
 * @example serverAddress('smdp.example.com:8443') // 'smdp.example.com:8443'
 */
export function serverAddress(text: string, field = 'address'): ServerAddress {
  const why = problem(text);
  if (why !== undefined) throw new InvalidIdentifier(field, `${JSON.stringify(text)} ${why}`);
  return text as ServerAddress;
}
