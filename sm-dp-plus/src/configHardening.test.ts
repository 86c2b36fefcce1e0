// The configuration block of issue #13 (connections, unauthenticated sessions, the admin listener): its
// defaults, its SMDP_* variables, and the one rule across its keys.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('SM-DP+ configuration: connections, unauthenticated sessions, admin listener', () => {
  it('has the documented defaults: admin on the loopback, limits on every listener', () => {
    const config = loadConfig({ root: '/srv', env: {} });
    expect(config.admin).toEqual({ enabled: true, host: '127.0.0.1', port: 8446 });
    expect(config.connections).toEqual({
      handshakeTimeoutMs: 10_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 2_048,
      maxConnectionsPerAddress: 64,
    });
    expect(config.unauthenticatedSessions).toEqual({ lifetimeMs: 60_000, maxPerAddress: 64 });
  });

  it('reads each key from its SMDP_* variable, and refuses a header timeout beyond the request timeout', () => {
    const config = loadConfig({
      root: '/srv',
      env: { SMDP_ADMIN_PORT: '0', SMDP_ADMIN_ENABLED: 'off', SMDP_CONNECTIONS_MAX_CONNECTIONS_PER_ADDRESS: '8', SMDP_UNAUTHENTICATED_SESSIONS_LIFETIME_MS: '5000' },
    });
    expect(config).toMatchObject({ admin: { enabled: false, port: 0 }, connections: { maxConnectionsPerAddress: 8 }, unauthenticatedSessions: { lifetimeMs: 5000 } });
    expect(() => loadConfig({ root: '/srv', env: { SMDP_CONNECTIONS_HEADERS_TIMEOUT_MS: '40000' } })).toThrow(
      'smdp config connections.headersTimeoutMs: must not exceed connections.requestTimeoutMs',
    );
  });
});
