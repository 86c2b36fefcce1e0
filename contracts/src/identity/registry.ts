// The subscriber registry from TypeScript: SubscriberFactory's onboarding and revocation, the group its
// commitments form in Semaphore's contract, and on-chain checks of proofs. What the operator onboarding API (issue
// #15 item 2) calls: `onboard(commitment, wallet?)` → the subscriber's contract address, batchable with
// `onboardMany`, idempotent for a repeated (commitment, wallet).
import {
  JsonRpcProvider,
  ZeroAddress,
  getAddress,
  keccak256,
  toBeHex,
  type ContractRunner,
  type ContractTransaction,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from 'ethers';
import type { ChainClient } from '../client/chainClient.js';
import { InvalidIdentityProof } from '../errors.js';
import {
  connectSemaphore,
  connectSemaphoreVerifier,
  connectSubscriberFactory,
  type SemaphoreContract,
  type SubscriberFactoryContract,
} from '../generated/index.js';
import { commitmentBytes32 } from './identity.js';
import { readOnChainGroup } from './onChainGroup.js';
import { toSolidityProof, type Group, type SemaphoreProof } from './proofs.js';

export interface OnboardedSubscriber {
  commitment: bigint;
  wallet: string | undefined;
  /** The subscriber's contract. */
  subscriber: string;
}

export interface OnChainVerdict {
  /** Semaphore's verifier accepts the SNARK (any root). */
  verifierAccepts: boolean;
  /** Semaphore accepts it for the subscriber group: its root is the group's current root or a recent one. */
  groupAccepts: boolean;
  /** Why the group refused, when it did (the Semaphore error's name). */
  groupError?: string;
}

/** Sends a transaction and returns its receipt once mined (a ChainClient's nonce, fee and retry handling). */
export type SendTransaction = (request: ContractTransaction) => Promise<TransactionReceipt>;

export class SubscriberRegistry {
  readonly factory: SubscriberFactoryContract;

  /**
   * `runner`: a signer holding OPERATOR_ROLE to onboard and revoke, or a provider to read only. `send` carries the
   * writes when given (default: the signer sends and waits).
   */
  constructor(
    factoryAddress: string,
    private readonly runner: ContractRunner & { provider: Provider | null },
    /** The block the factory was deployed in, where reading the group's history starts. */
    private readonly fromBlock = 0,
    private readonly send?: SendTransaction,
  ) {
    this.factory = connectSubscriberFactory(factoryAddress, runner);
  }

  /**
   * The registry of a deployment, writing through `client` (the operator account): the anchor worker's
   * account too, so the client's send lock keeps their nonces apart when both share this ChainClient.
   */
  static forClient(client: ChainClient, deployment: { subscriberFactory: string; blockNumber: number }): SubscriberRegistry {
    return new SubscriberRegistry(deployment.subscriberFactory, client.wallet, deployment.blockNumber, (request) => client.sendAndWaitMined(request));
  }

  private async write(request: Promise<ContractTransaction>): Promise<TransactionReceipt> {
    const transaction = await request;
    if (this.send !== undefined) {
      const receipt = await this.send(transaction);
      if (receipt.status !== 1) throw new Error(`transaction ${receipt.hash} failed`);
      return receipt;
    }
    const response = await (this.runner as Signer).sendTransaction(transaction);
    const receipt = await response.wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${response.hash} failed`);
    return receipt;
  }

  private get provider(): Provider {
    const provider = this.runner.provider;
    if (provider === null) throw new Error('SubscriberRegistry: the runner has no provider');
    return provider;
  }

  async semaphore(): Promise<SemaphoreContract> {
    return connectSemaphore(await this.factory.semaphore(), this.runner);
  }

  async groupId(): Promise<bigint> {
    return this.factory.groupId();
  }

  /** The address `onboard(commitment, wallet)` gives when sent by `operator`. */
  async subscriberAddress(commitment: bigint, wallet: string | undefined, operator: string): Promise<string> {
    return this.factory.subscriberAddress(commitmentBytes32(commitment), wallet ?? ZeroAddress, operator);
  }

  /** Onboards one subscriber (contract + group membership) and returns their contract's address. */
  async onboard(commitment: bigint, wallet?: string): Promise<OnboardedSubscriber> {
    const [onboarded] = await this.onboardMany([{ commitment, wallet }]);
    if (onboarded === undefined) throw new Error('onboard: no result');
    return onboarded;
  }

  /** Onboards several subscribers in one transaction; already onboarded ones are returned unchanged. */
  async onboardMany(subscribers: readonly { commitment: bigint; wallet?: string | undefined }[]): Promise<OnboardedSubscriber[]> {
    const commitments = subscribers.map(({ commitment }) => commitmentBytes32(commitment));
    const wallets = subscribers.map(({ wallet }) => (wallet === undefined ? ZeroAddress : getAddress(wallet)));
    const addresses = await this.factory.onboardMany.staticCall(commitments, wallets);
    await this.write(
      subscribers.length === 1
        ? this.factory.onboard.populateTransaction(commitments[0] ?? '', wallets[0] ?? ZeroAddress)
        : this.factory.onboardMany.populateTransaction(commitments, wallets),
    );
    return subscribers.map(({ commitment, wallet }, index) => ({ commitment, wallet, subscriber: addresses[index] ?? '' }));
  }

  /** The subscriber group as it is on chain (rebuilt from Semaphore's events, checked against the root). */
  async group(): Promise<Group> {
    return readOnChainGroup({ provider: this.provider, semaphore: await this.factory.semaphore(), groupId: await this.groupId(), fromBlock: this.fromBlock });
  }

  async isMember(commitment: bigint): Promise<boolean> {
    return (await this.semaphore()).hasMember(await this.groupId(), commitment);
  }

  /** Removes `commitment` from the group (revocation, erasure): its Subscriber refuses proofs from then on. */
  async revoke(commitment: bigint): Promise<void> {
    const group = await this.group();
    const index = group.indexOf(commitment);
    if (index < 0) throw new InvalidIdentityProof(`commitment ${commitment} is not a member of the subscriber group`);
    const { siblings } = group.generateMerkleProof(index);
    await this.write(this.factory.revoke.populateTransaction(commitmentBytes32(commitment), siblings));
  }

  /** Checks `proof` on chain without spending its nullifier (eth_call): the verifier alone, then for the group. */
  async verifyOnChain(proof: SemaphoreProof): Promise<OnChainVerdict> {
    const semaphore = await this.semaphore();
    const solidity = toSolidityProof(proof);
    const verifier = connectSemaphoreVerifier(await semaphore.verifier(), this.runner);
    const p = solidity.points;
    let verifierAccepts = false;
    try {
      verifierAccepts = await verifier.verifyProof(
        [p[0] ?? 0n, p[1] ?? 0n],
        [[p[2] ?? 0n, p[3] ?? 0n], [p[4] ?? 0n, p[5] ?? 0n]],
        [p[6] ?? 0n, p[7] ?? 0n],
        [solidity.merkleTreeRoot, solidity.nullifier, semaphoreFieldHash(solidity.message), semaphoreFieldHash(solidity.scope)],
        solidity.merkleTreeDepth,
      );
    } catch {
      verifierAccepts = false;
    }
    try {
      const groupAccepts = await semaphore.verifyProof(await this.groupId(), solidity);
      return { verifierAccepts, groupAccepts };
    } catch (error) {
      return { verifierAccepts, groupAccepts: false, groupError: revertName(semaphore, error) };
    }
  }
}

/** Semaphore's `_hash`: keccak256 of the 32-byte value, shifted into the SNARK field. */
function semaphoreFieldHash(value: bigint): bigint {
  return BigInt(keccak256(toBeHex(value, 32))) >> 8n;
}

function revertName(contract: SemaphoreContract, error: unknown): string {
  const data = (error as { data?: string }).data;
  if (typeof data === 'string') {
    const parsed = contract.interface.parseError(data);
    if (parsed !== null) return parsed.name;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The subscriber group of the registry at `registry` on the node at `rpcUrl`, read only (what a device proves
 * membership of); refuses a node of another chain than `chainId`, the one the subscriber's identity names.
 */
export async function readSubscriberGroup(rpcUrl: string, registry: string, chainId: number): Promise<Group> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const actual = (await provider.getNetwork()).chainId;
    if (actual !== BigInt(chainId)) throw new InvalidIdentityProof(`the identity is on chain ${chainId}, the node at ${rpcUrl} is chain ${actual}`);
    return await new SubscriberRegistry(getAddress(registry), provider).group();
  } finally {
    provider.destroy();
  }
}
