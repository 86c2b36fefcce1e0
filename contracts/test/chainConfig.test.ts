// The chain configuration through the shared loader: every CHAIN_* variable it read before, the key each sets,
// and errors that name the key and the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, environmentVariables } from '@zkesim/config';
import { CHAIN_CONFIG, chainConfigFromEnvironment, DEFAULT_CHAIN_CONFIG, resolveChainConfig } from '../src/client/chainConfig.js';

const KEY = `0x${'11'.repeat(32)}`;

describe('chain configuration', () => {
  it('has the defaults it had', () => {
    expect(DEFAULT_CHAIN_CONFIG).toEqual({
      auth: { kind: 'none' },
      confirmations: 1,
      maxBatchSize: 1_000,
      anchorIntervalMs: 5_000,
      feeBumpAfterMs: 15_000,
      maxFeeBumps: 5,
      requestTimeoutMs: 10_000,
    });
    expect(resolveChainConfig({ maxBatchSize: 25, rpcUrl: undefined })).toEqual({ ...DEFAULT_CHAIN_CONFIG, maxBatchSize: 25 });
  });

  it('reads every CHAIN_* variable, over values set in code', () => {
    const names = environmentVariables(CHAIN_CONFIG).map((variable) => `${variable.name}=${variable.key}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'CHAIN_RPC_URL=rpcUrl',
        'CHAIN_RPC_BEARER_TOKEN=auth.token',
        'CHAIN_RPC_USERNAME=auth.username',
        'CHAIN_RPC_PASSWORD=auth.password',
        'CHAIN_PRIVATE_KEY=privateKey',
        'CHAIN_CONFIRMATIONS=confirmations',
        'CHAIN_MAX_BATCH_SIZE=maxBatchSize',
        'CHAIN_ANCHOR_INTERVAL_MS=anchorIntervalMs',
      ]),
    );
    const config = chainConfigFromEnvironment(
      { CHAIN_RPC_URL: 'https://node.example/rpc', CHAIN_PRIVATE_KEY: KEY, CHAIN_CONFIRMATIONS: '12', CHAIN_MAX_BATCH_SIZE: '50', CHAIN_ANCHOR_INTERVAL_MS: '250', CHAIN_RPC_USERNAME: 'u', CHAIN_RPC_PASSWORD: 'p' },
      { maxBatchSize: 10, feeBumpAfterMs: 99 },
    );
    expect(config).toEqual({
      rpcUrl: 'https://node.example/rpc',
      privateKey: KEY,
      auth: { kind: 'basic', username: 'u', password: 'p' },
      confirmations: 12,
      maxBatchSize: 50,
      anchorIntervalMs: 250,
      feeBumpAfterMs: 99,
      maxFeeBumps: 5,
      requestTimeoutMs: 10_000,
    });
    expect(chainConfigFromEnvironment({ CHAIN_RPC_BEARER_TOKEN: 'T' }).auth).toEqual({ kind: 'bearer', token: 'T' });
    expect(chainConfigFromEnvironment({ CHAIN_RPC_URL: '', CHAIN_CONFIRMATIONS: '' })).toEqual(DEFAULT_CHAIN_CONFIG);
  });

  it('names the key and the variable in every error', () => {
    const cases: [Record<string, string>, string][] = [
      [{ CHAIN_CONFIRMATIONS: 'zero' }, 'chain config CHAIN_CONFIRMATIONS: "zero" is not a number (for confirmations)'],
      [{ CHAIN_CONFIRMATIONS: '0' }, 'chain config confirmations: must be a positive integer (from CHAIN_CONFIRMATIONS)'],
      [{ CHAIN_RPC_URL: 'ftp://x' }, 'chain config rpcUrl: must be an http(s) URL (from CHAIN_RPC_URL)'],
      [{ CHAIN_PRIVATE_KEY: '0x12' }, 'chain config privateKey: must be 0x followed by 64 hex digits (from CHAIN_PRIVATE_KEY)'],
      [{ CHAIN_RPC_USERNAME: 'u' }, 'chain config auth.password: required with a user name (not set; CHAIN_RPC_PASSWORD or CHAIN_AUTH_PASSWORD sets it)'],
      [{ CHAIN_RPC_USERNAME: 'u', CHAIN_RPC_BEARER_TOKEN: 't' }, 'chain config auth: a bearer token and a user name are exclusive (from CHAIN_RPC_BEARER_TOKEN, CHAIN_RPC_USERNAME)'],
    ];
    for (const [env, message] of cases) {
      expect(() => chainConfigFromEnvironment(env)).toThrow(ConfigError);
      expect(() => chainConfigFromEnvironment(env)).toThrow(message);
    }
    expect(() => resolveChainConfig({ maxFeeBumps: 1.5 })).toThrow('chain config maxFeeBumps: must be a positive integer (set by code)');
  });
});
