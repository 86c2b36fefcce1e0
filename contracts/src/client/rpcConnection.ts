// The JSON-RPC connection: an ethers v6 FetchRequest carrying the node's authentication in the request
// headers. Credentials embedded in the URL (https://user:pass@host) are moved into the header and stripped
// from the URL, so the URL is safe to log; `describeRpc` is the only form that is logged.
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { ChainUnavailable } from '../errors.js';
import type { RpcAuth } from './chainConfig.js';

export interface RpcEndpoint {
  /** The URL without credentials. */
  url: string;
  auth: RpcAuth;
}

export function rpcEndpoint(rpcUrl: string, auth: RpcAuth): RpcEndpoint {
  const url = new URL(rpcUrl);
  if (url.username === '' && url.password === '') return { url: rpcUrl, auth };
  const fromUrl: RpcAuth = { kind: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  return { url: url.toString(), auth: auth.kind === 'none' ? fromUrl : auth };
}

/** A loggable description: the origin and the kind of authentication, never the secret. */
export function describeRpc(endpoint: RpcEndpoint): string {
  return `${new URL(endpoint.url).origin} (auth: ${endpoint.auth.kind})`;
}

export function rpcFetchRequest(endpoint: RpcEndpoint, timeoutMs: number): FetchRequest {
  const request = new FetchRequest(endpoint.url);
  request.timeout = timeoutMs;
  if (endpoint.auth.kind === 'bearer') {
    request.setHeader('Authorization', `Bearer ${endpoint.auth.token}`);
  } else if (endpoint.auth.kind === 'basic') {
    const token = Buffer.from(`${endpoint.auth.username}:${endpoint.auth.password}`, 'utf8').toString('base64');
    request.setHeader('Authorization', `Basic ${token}`);
  }
  return request;
}

/** Asks the node for its chain id once; fails with ChainUnavailable when it cannot be reached. */
export async function fetchChainId(endpoint: RpcEndpoint, timeoutMs: number): Promise<bigint> {
  const request = rpcFetchRequest(endpoint, timeoutMs);
  request.setHeader('content-type', 'application/json');
  request.body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
  try {
    const response = await request.send();
    response.assertOk();
    const body = response.bodyJson as { result?: unknown; error?: { message?: string } };
    if (typeof body.result !== 'string') throw new Error(body.error?.message ?? 'no result');
    return BigInt(body.result);
  } catch (error) {
    throw new ChainUnavailable(`JSON-RPC node ${describeRpc(endpoint)} did not answer eth_chainId`, { cause: error });
  }
}

/**
 * A provider bound to a known chain id: with a static network ethers never re-detects the network, so a node
 * that goes away makes calls fail (and the worker retry) instead of starting a reconnect loop. The request
 * cache is off: a nonce read twice within 250 ms must not return the first answer.
 */
export function createProvider(endpoint: RpcEndpoint, chainId: bigint, timeoutMs: number): JsonRpcProvider {
  const network = Network.from(chainId);
  return new JsonRpcProvider(rpcFetchRequest(endpoint, timeoutMs), network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 });
}
