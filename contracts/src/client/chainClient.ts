// The chain client: one signer account on one JSON-RPC node. It serializes nonces (so concurrent sends never reuse
// one), estimates gas and EIP-1559 fees, re-broadcasts a transaction with bumped fees (same nonce) when it is
// not mined in time, and reports how deep a block is for reorg-safe confirmation.
import { Wallet, type JsonRpcProvider, type TransactionReceipt, type TransactionRequest } from 'ethers';
import { TransactionNotMined } from '../errors.js';
import type { ChainDeps } from '../deps.js';
import type { ChainConfig } from './chainConfig.js';
import { createProvider, describeRpc, fetchChainId, rpcEndpoint, type RpcEndpoint } from './rpcConnection.js';

/** A replacement must raise both fee fields by at least 10% (geth's txpool rule); 25% clears it everywhere. */
const FEE_BUMP_PERCENT = 125n;
/** Margin over the node's gas estimate. */
const GAS_LIMIT_PERCENT = 120n;
const RECEIPT_POLL_MS = 200;

interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export class ChainClient {
  readonly provider: JsonRpcProvider;
  readonly wallet: Wallet;
  readonly chainId: bigint;
  readonly endpoint: RpcEndpoint;
  private sendLock: Promise<void> = Promise.resolve();

  private constructor(
    endpoint: RpcEndpoint,
    chainId: bigint,
    privateKey: string,
    private readonly config: ChainConfig,
    private readonly deps: ChainDeps,
  ) {
    this.endpoint = endpoint;
    this.chainId = chainId;
    this.provider = createProvider(endpoint, chainId, config.requestTimeoutMs);
    this.wallet = new Wallet(privateKey, this.provider);
  }

  /** Connects (one eth_chainId round trip); throws ChainUnavailable when the node is down. */
  static async connect(rpcUrl: string, privateKey: string, config: ChainConfig, deps: ChainDeps): Promise<ChainClient> {
    const endpoint = rpcEndpoint(rpcUrl, config.auth);
    const chainId = await fetchChainId(endpoint, config.requestTimeoutMs);
    deps.logger.info({ rpc: describeRpc(endpoint), chainId: chainId.toString() }, 'chain client connected');
    return new ChainClient(endpoint, chainId, privateKey, config, deps);
  }

  get address(): string {
    return this.wallet.address;
  }

  async blockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /** Number of blocks from `blockNumber` to the head, both included (1 = in the latest block). */
  async confirmationsOf(blockNumber: number): Promise<number> {
    return (await this.blockNumber()) - blockNumber + 1;
  }

  /**
   * Sends `request` from the client's account and waits until it is mined, bumping fees every
   * `feeBumpAfterMs`. Returns the receipt (its status may be 0: a revert is the caller's to judge).
   */
  async sendAndWaitMined(request: TransactionRequest): Promise<TransactionReceipt> {
    const gasEstimate = await this.provider.estimateGas({ ...request, from: this.address });
    const gasLimit = (gasEstimate * GAS_LIMIT_PERCENT) / 100n;
    let fees = await this.initialFees();
    const sign = (nonce: number): Promise<string> =>
      this.wallet.signTransaction({ ...request, nonce, gasLimit, chainId: this.chainId, type: 2, ...fees });
    const first = await this.sendNext(sign);
    const hashes = [first.hash];
    for (let attempt = 0; ; attempt += 1) {
      const receipt = await this.waitForAnyReceipt(hashes, this.config.feeBumpAfterMs);
      if (receipt !== null) return receipt;
      if (attempt >= this.config.maxFeeBumps) break;
      this.deps.logger.warn({ nonce: first.nonce, attempt, maxFeePerGas: fees.maxFeePerGas.toString() }, 'transaction not mined in time, bumping fees');
      fees = { maxFeePerGas: (fees.maxFeePerGas * FEE_BUMP_PERCENT) / 100n, maxPriorityFeePerGas: (fees.maxPriorityFeePerGas * FEE_BUMP_PERCENT) / 100n };
      const replaced = await this.broadcast(await sign(first.nonce), hashes);
      if (typeof replaced !== 'string') return replaced;
      hashes.push(replaced);
    }
    throw new TransactionNotMined(`transaction with nonce ${first.nonce} not mined after ${this.config.maxFeeBumps} fee bumps`);
  }

  /**
   * Takes the next nonce from the node's pending count and broadcasts, one send at a time, so concurrent
   * sends get distinct nonces. No nonce is cached: after a node restart or a reorg the node's count is the
   * truth, and a cached one would leave a gap that never mines.
   */
  private async sendNext(sign: (nonce: number) => Promise<string>): Promise<{ nonce: number; hash: string }> {
    const previous = this.sendLock;
    let release = (): void => undefined;
    this.sendLock = new Promise((resolveLock) => (release = resolveLock));
    await previous;
    try {
      const nonce = await this.provider.getTransactionCount(this.address, 'pending');
      return { nonce, hash: (await this.provider.broadcastTransaction(await sign(nonce))).hash };
    } finally {
      release();
    }
  }

  /**
   * Broadcasts a replacement; when it is refused because an earlier version was mined meanwhile ("nonce too
   * low"), returns that version's receipt instead of failing.
   */
  private async broadcast(signed: string, earlier: string[]): Promise<string | TransactionReceipt> {
    try {
      return (await this.provider.broadcastTransaction(signed)).hash;
    } catch (error) {
      const mined = await this.waitForAnyReceipt(earlier, 0);
      if (mined !== null) return mined;
      throw error;
    }
  }

  private async initialFees(): Promise<Fees> {
    const feeData = await this.provider.getFeeData();
    const block = await this.provider.getBlock('latest');
    const baseFee = block?.baseFeePerGas ?? feeData.gasPrice ?? 1_000_000_000n;
    const maxPriorityFeePerGas = feeData.maxPriorityFeePerGas ?? 1_000_000_000n;
    // Twice the base fee absorbs six full blocks of base-fee growth before a bump is needed.
    return { maxFeePerGas: baseFee * 2n + maxPriorityFeePerGas, maxPriorityFeePerGas };
  }

  private async waitForAnyReceipt(hashes: string[], timeoutMs: number): Promise<TransactionReceipt | null> {
    const deadline = this.deps.now() + timeoutMs;
    for (;;) {
      for (const hash of hashes) {
        const receipt = await this.provider.getTransactionReceipt(hash);
        if (receipt !== null) return receipt;
      }
      if (this.deps.now() >= deadline) return null;
      await this.deps.sleep(RECEIPT_POLL_MS);
    }
  }

  destroy(): void {
    this.provider.destroy();
  }
}
