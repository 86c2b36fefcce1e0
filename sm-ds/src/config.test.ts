// The SM-DS's ports: ES11 and ES12/ES15 are two (mutual TLS is enforced at the handshake of the second).
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('SM-DS configuration', () => {
  it('has ES11 on 8447 and ES12/ES15 on 8452 by default, SMDS_PEER_PORT over it', () => {
    expect(loadConfig({ dataDir: '/data', env: {} })).toMatchObject({ port: 8447, peerPort: 8452 });
    expect(loadConfig({ dataDir: '/data', env: { SMDS_PEER_PORT: '9452' } })).toMatchObject({ peerPort: 9452 });
  });

  it('refuses one port for both, saying why', () => {
    expect(() => loadConfig({ dataDir: '/data', env: { SMDS_PEER_PORT: '8447' } })).toThrow(/^smds config peerPort: must differ from port: .*mutual TLS is enforced at the handshake/);
  });
});
