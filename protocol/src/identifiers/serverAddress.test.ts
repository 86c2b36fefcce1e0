import { describe, expect, it } from 'vitest';
import { InvalidIdentifier } from './errors.js';
import { isServerAddress, serverAddress } from './serverAddress.js';

describe('serverAddress (RFC 1123 host name or IP literal, optional :port)', () => {
  it('accepts host names, IPv4 and bracketed IPv6 literals, with or without a port', () => {
    for (const ok of ['smdp.example.com', 'testsmdpplus1.example.com:8443', 'localhost', '127.0.0.1:1', '[::1]:443', '[2001:db8::7]', 'a-b.c1', '1example.com:65535']) {
      expect(serverAddress(ok)).toBe(ok);
    }
  });

  it('refuses paths, userinfo, schemes, spaces, control characters and bad ports or labels', () => {
    const bad = [
      '', 'smds.example.com/path', 'user@smds.example.com', 'https://smds.example.com', 'smds.example.com\r\nX-Injected: 1', 'smds .example.com',
      'smds.example.com:0', 'smds.example.com:65536', 'smds.example.com:', 'smds.example.com:8a', '-smds.example.com', 'smds-.example.com',
      'smds..example.com', 'smds.example.com.', `${'a'.repeat(64)}.example.com`, `${'a.'.repeat(127)}com`, '256.1.1.1', '::1', '[::1', '[zz::1]:443',
      'smds.example.com?x=1', 'smds.example.com#f', 'smds_example.com',
    ];
    for (const text of bad) {
      expect(isServerAddress(text), JSON.stringify(text)).toBe(false);
      expect(() => serverAddress(text, 'smdsAddress')).toThrow(InvalidIdentifier);
    }
  });
});
