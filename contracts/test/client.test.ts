// The chain client against a real node: authentication headers (through a loopback proxy that demands them),
// secrets kept out of logs, nonce handling under concurrency, and fee bumps when a transaction is not mined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Wallet, type JsonRpcProvider } from 'ethers';
import { ChainClient } from '../src/client/chainClient.js';
import { chainConfigFromEnvironment, resolveChainConfig } from '../src/client/chainConfig.js';
import { describeRpc, rpcEndpoint } from '../src/client/rpcConnection.js';
import { ChainConfigError, ChainUnavailable } from '../src/errors.js';
import type { Logger } from '@zkesim/protocol/ports';
import { systemDeps } from '../src/deps.js';
import { fundedWallet, removeDir, startTestNode, testProvider, type TestNode } from '@zkesim/testing/chain/nodes';

const TOKEN = 'node-secret-token-123';
const BASIC = Buffer.from('rpc-user:rpc-pass').toString('base64');

function recordingLogger(lines: string[]): Logger {
  const write = (fields: object, message: string): void => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { debug: write, info: write, warn: write, error: write };
}

/** A loopback reverse proxy in front of the node that answers 401 unless the expected Authorization is sent. */
function authProxy(target: string, expected: string[], seen: string[]): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const authorization = incoming.headers.authorization ?? '';
    seen.push(authorization);
    if (!expected.includes(authorization)) {
      outgoing.writeHead(401).end();
      incoming.resume();
      return;
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: '/', method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, { 'content-type': 'application/json' });
      response.pipe(outgoing);
    });
    forward.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  return new Promise((resolveServer) => server.listen(0, '127.0.0.1', () => resolveServer(server)));
}

describe('chain client', () => {
  let node: TestNode;
  let provider: JsonRpcProvider;
  let proxy: Server;
  let proxyUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    node = await startTestNode('anvil');
    provider = testProvider(node.rpcUrl);
    proxy = await authProxy(node.rpcUrl, [`Bearer ${TOKEN}`, `Basic ${BASIC}`], seen);
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => proxy?.close(done));
    provider?.destroy();
    await node?.stop();
    if (node) removeDir(node.dataDir);
  });

  it('sends the bearer token or basic credentials in the request headers, and never logs them', async () => {
    const key = (await fundedWallet(provider)).privateKey;
    const lines: string[] = [];
    const bearer = await ChainClient.connect(proxyUrl, key, chainConfigFromEnvironment({ CHAIN_RPC_BEARER_TOKEN: TOKEN }), systemDeps(recordingLogger(lines)));
    expect(await bearer.blockNumber()).toBeGreaterThanOrEqual(0);
    bearer.destroy();
    const withUrlCredentials = proxyUrl.replace('http://', 'http://rpc-user:rpc-pass@');
    const basic = await ChainClient.connect(withUrlCredentials, key, resolveChainConfig({}), systemDeps(recordingLogger(lines)));
    expect(basic.endpoint.url).not.toContain('rpc-pass');
    expect(await basic.blockNumber()).toBeGreaterThanOrEqual(0);
    basic.destroy();
    expect(seen).toContain(`Bearer ${TOKEN}`);
    expect(seen).toContain(`Basic ${BASIC}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${TOKEN}|rpc-pass|${BASIC}`));
    expect(describeRpc(rpcEndpoint(withUrlCredentials, { kind: 'none' }))).toBe(`${new URL(proxyUrl).origin} (auth: basic)`);
  });

  it('fails with ChainUnavailable without credentials or when nothing listens', async () => {
    const key = Wallet.createRandom().privateKey;
    await expect(ChainClient.connect(proxyUrl, key, resolveChainConfig({}), systemDeps())).rejects.toThrow(ChainUnavailable);
    await expect(ChainClient.connect('http://127.0.0.1:1', key, resolveChainConfig({}), systemDeps())).rejects.toThrow(ChainUnavailable);
  });

  it('validates configuration and names the bad key', () => {
    expect(() => chainConfigFromEnvironment({ CHAIN_CONFIRMATIONS: 'zero' })).toThrow(/CHAIN_CONFIRMATIONS/);
    expect(() => chainConfigFromEnvironment({ CHAIN_RPC_URL: 'ftp://x' })).toThrow(ChainConfigError);
    expect(() => chainConfigFromEnvironment({ CHAIN_PRIVATE_KEY: '0x12' })).toThrow(/CHAIN_PRIVATE_KEY/);
    expect(() => chainConfigFromEnvironment({ CHAIN_RPC_USERNAME: 'u' })).toThrow(/CHAIN_RPC_PASSWORD/);
    expect(chainConfigFromEnvironment({ CHAIN_RPC_URL: 'https://node.example/rpc', CHAIN_CONFIRMATIONS: '12' })).toMatchObject({ rpcUrl: 'https://node.example/rpc', confirmations: 12 });
  });

  it('gives concurrent sends distinct nonces', async () => {
    const wallet = await fundedWallet(provider);
    const client = await ChainClient.connect(node.rpcUrl, wallet.privateKey, resolveChainConfig({}), systemDeps());
    const receipts = await Promise.all([1, 2, 3, 4].map((value) => client.sendAndWaitMined({ to: Wallet.createRandom().address, value })));
    const nonces = await Promise.all(receipts.map(async (receipt) => (await provider.getTransaction(receipt.hash))?.nonce));
    expect(new Set(nonces).size).toBe(4);
    client.destroy();
  });

  it('re-sends a transaction that is not mined with bumped fees and the same nonce', async () => {
    const wallet = await fundedWallet(provider);
    const lines: string[] = [];
    const client = await ChainClient.connect(node.rpcUrl, wallet.privateKey, resolveChainConfig({ feeBumpAfterMs: 300 }), systemDeps(recordingLogger(lines)));
    await provider.send('evm_setAutomine', [false]);
    try {
      const sending = client.sendAndWaitMined({ to: Wallet.createRandom().address, value: 1 });
      while (!lines.some((line) => line.startsWith('transaction not mined in time'))) await new Promise((wake) => setTimeout(wake, 50));
      await new Promise((wake) => setTimeout(wake, 200));
      await provider.send('evm_mine', []);
      const receipt = await sending;
      const mined = await provider.getTransaction(receipt.hash);
      const block = await provider.getBlock(receipt.blockNumber);
      expect(block?.transactions).toHaveLength(1);
      expect(mined?.nonce).toBe(0);
      const firstFee = JSON.parse(lines.find((line) => line.startsWith('transaction not mined'))?.split(' in time, bumping fees ')[1] ?? '{}') as { maxFeePerGas: string };
      expect(mined?.maxFeePerGas).toBe((BigInt(firstFee.maxFeePerGas) * 125n) / 100n);
    } finally {
      await provider.send('evm_setAutomine', [true]);
      client.destroy();
    }
  });
});
