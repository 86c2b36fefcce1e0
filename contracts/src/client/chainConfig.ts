// Typed configuration of the chain client. Defaults in code, then a config object (from a file), then
// environment variables `CHAIN_*`; validated once, the error names the bad key. Only adapters call
// `chainConfigFromEnvironment`; the client itself takes the typed object.
import { ChainConfigError } from '../errors.js';

/** How the JSON-RPC node authenticates clients. Secrets never reach a log line (see `describeRpc`). */
export type RpcAuth = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface ChainConfig {
  /** JSON-RPC URL; undefined means "run the bundled node". */
  rpcUrl: string | undefined;
  auth: RpcAuth;
  /** Hex private key of the operator's chain account; undefined with the bundled node (one is generated). */
  privateKey: string | undefined;
  /** Blocks on top of (and including) the anchoring block before a batch counts as final. */
  confirmations: number;
  /** Largest number of events in one anchored batch. */
  maxBatchSize: number;
  /** How often the anchor worker looks for work, in ms. */
  anchorIntervalMs: number;
  /** How long to wait for a transaction to be mined before bumping its fees, in ms. */
  feeBumpAfterMs: number;
  /** Fee bumps before giving up on a transaction (it is retried on the next worker pass). */
  maxFeeBumps: number;
  /** Timeout of one JSON-RPC request, in ms. */
  requestTimeoutMs: number;
}

export const DEFAULT_CHAIN_CONFIG: ChainConfig = {
  rpcUrl: undefined,
  auth: { kind: 'none' },
  privateKey: undefined,
  // The bundled node is a single-authority dev chain that cannot reorganise; public networks need more.
  confirmations: 1,
  maxBatchSize: 1_000,
  anchorIntervalMs: 5_000,
  feeBumpAfterMs: 15_000,
  maxFeeBumps: 5,
  requestTimeoutMs: 10_000,
};

function positiveInteger(key: string, value: string | number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new ChainConfigError(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

function checkedUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ChainConfigError(`${key} is not a URL`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ChainConfigError(`${key} must be http(s), got ${url.protocol}`);
  return value;
}

function checkedPrivateKey(key: string, value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new ChainConfigError(`${key} must be 0x followed by 64 hex digits`);
  return value;
}

/** Merges a partial config (e.g. parsed from a file) over the defaults and validates it. */
export function resolveChainConfig(partial: Partial<ChainConfig> = {}): ChainConfig {
  const merged = { ...DEFAULT_CHAIN_CONFIG, ...partial };
  return {
    rpcUrl: merged.rpcUrl === undefined ? undefined : checkedUrl('rpcUrl', merged.rpcUrl),
    auth: merged.auth,
    privateKey: merged.privateKey === undefined ? undefined : checkedPrivateKey('privateKey', merged.privateKey),
    confirmations: positiveInteger('confirmations', merged.confirmations),
    maxBatchSize: positiveInteger('maxBatchSize', merged.maxBatchSize),
    anchorIntervalMs: positiveInteger('anchorIntervalMs', merged.anchorIntervalMs),
    feeBumpAfterMs: positiveInteger('feeBumpAfterMs', merged.feeBumpAfterMs),
    maxFeeBumps: positiveInteger('maxFeeBumps', merged.maxFeeBumps),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', merged.requestTimeoutMs),
  };
}

/**
 * Reads CHAIN_RPC_URL, CHAIN_RPC_BEARER_TOKEN, CHAIN_RPC_USERNAME + CHAIN_RPC_PASSWORD, CHAIN_PRIVATE_KEY,
 * CHAIN_CONFIRMATIONS, CHAIN_MAX_BATCH_SIZE, CHAIN_ANCHOR_INTERVAL_MS over `base`.
 */
export function chainConfigFromEnvironment(env: Record<string, string | undefined>, base: Partial<ChainConfig> = {}): ChainConfig {
  const partial: Partial<ChainConfig> = { ...base };
  if (env.CHAIN_RPC_URL) partial.rpcUrl = checkedUrl('CHAIN_RPC_URL', env.CHAIN_RPC_URL);
  if (env.CHAIN_RPC_BEARER_TOKEN && env.CHAIN_RPC_USERNAME) {
    throw new ChainConfigError('CHAIN_RPC_BEARER_TOKEN and CHAIN_RPC_USERNAME are exclusive');
  }
  if (env.CHAIN_RPC_BEARER_TOKEN) partial.auth = { kind: 'bearer', token: env.CHAIN_RPC_BEARER_TOKEN };
  if (env.CHAIN_RPC_USERNAME) {
    if (env.CHAIN_RPC_PASSWORD === undefined) throw new ChainConfigError('CHAIN_RPC_PASSWORD is required with CHAIN_RPC_USERNAME');
    partial.auth = { kind: 'basic', username: env.CHAIN_RPC_USERNAME, password: env.CHAIN_RPC_PASSWORD };
  }
  if (env.CHAIN_PRIVATE_KEY) partial.privateKey = checkedPrivateKey('CHAIN_PRIVATE_KEY', env.CHAIN_PRIVATE_KEY);
  if (env.CHAIN_CONFIRMATIONS) partial.confirmations = positiveInteger('CHAIN_CONFIRMATIONS', env.CHAIN_CONFIRMATIONS);
  if (env.CHAIN_MAX_BATCH_SIZE) partial.maxBatchSize = positiveInteger('CHAIN_MAX_BATCH_SIZE', env.CHAIN_MAX_BATCH_SIZE);
  if (env.CHAIN_ANCHOR_INTERVAL_MS) partial.anchorIntervalMs = positiveInteger('CHAIN_ANCHOR_INTERVAL_MS', env.CHAIN_ANCHOR_INTERVAL_MS);
  return resolveChainConfig(partial);
}
