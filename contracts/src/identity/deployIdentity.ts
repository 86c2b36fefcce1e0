// Deploys the identity layer's contracts in their dependency order: Semaphore's Poseidon library, Semaphore's
// verifier, Semaphore linked to the library, then our SubscriberFactory, which creates and administers the
// subscriber group. One sequence for `ensureDeployed` (through the ChainClient) and for tests and benchmarks
// (through a plain signer).
import { ContractFactory, type ContractRunner, type InterfaceAbi, type Signer } from 'ethers';
import {
  PoseidonT3Abi,
  PoseidonT3Bytecode,
  SemaphoreAbi,
  SemaphoreBytecode,
  SemaphoreLinkReferences,
  SemaphoreVerifierAbi,
  SemaphoreVerifierBytecode,
  SubscriberFactoryAbi,
  SubscriberFactoryBytecode,
  connectSubscriberFactory,
  linkBytecode,
} from '../generated/index.js';

/** Deploys one contract and returns its address and block. */
export type DeployContract = (abi: InterfaceAbi, bytecode: string, args: unknown[]) => Promise<{ address: string; blockNumber: number }>;

/**
 * How long Semaphore keeps accepting a proof against a superseded group root (Semaphore's default is one hour).
 * Onboarding changes the root with every new subscriber, so proofs made a little earlier must stay valid; the same
 * window is how long a removed member can still prove membership to a dapp (their Subscriber refuses at once).
 */
export const DEFAULT_MERKLE_TREE_DURATION_SECONDS = 3600;

export interface IdentityDeployment {
  poseidonT3: string;
  semaphoreVerifier: string;
  semaphore: string;
  subscriberFactory: string;
  /** The Semaphore group of subscriber commitments, as a decimal string (JSON-safe). */
  groupId: string;
  blockNumber: number;
}

export interface IdentityDeploymentOptions {
  admin: string;
  operator: string;
  merkleTreeDuration?: number;
}

export async function deployIdentityContracts(deploy: DeployContract, options: IdentityDeploymentOptions, runner: ContractRunner): Promise<IdentityDeployment> {
  const poseidon = await deploy(PoseidonT3Abi, PoseidonT3Bytecode, []);
  const verifier = await deploy(SemaphoreVerifierAbi, SemaphoreVerifierBytecode, []);
  const semaphore = await deploy(SemaphoreAbi, linkBytecode(SemaphoreBytecode, SemaphoreLinkReferences, { PoseidonT3: poseidon.address }), [verifier.address]);
  const factory = await deploy(SubscriberFactoryAbi, SubscriberFactoryBytecode, [
    options.admin,
    options.operator,
    semaphore.address,
    options.merkleTreeDuration ?? DEFAULT_MERKLE_TREE_DURATION_SECONDS,
  ]);
  const groupId = await connectSubscriberFactory(factory.address, runner).groupId();
  return {
    poseidonT3: poseidon.address,
    semaphoreVerifier: verifier.address,
    semaphore: semaphore.address,
    subscriberFactory: factory.address,
    groupId: groupId.toString(),
    blockNumber: factory.blockNumber,
  };
}

/** A DeployContract that sends from `signer` and waits for each receipt. */
export function deployWithSigner(signer: Signer): DeployContract {
  return async (abi, bytecode, args) => {
    const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
    const receipt = await contract.deploymentTransaction()?.wait();
    if (receipt === null || receipt === undefined || receipt.status !== 1) throw new Error('deployment failed');
    return { address: await contract.getAddress(), blockNumber: receipt.blockNumber };
  };
}
