// Deploys DownloadAnchor and the identity layer (Semaphore's PoseidonT3, SemaphoreVerifier and Semaphore, then
// SubscriberFactory with its subscriber group) on first start and records their addresses in
// `<dataDir>/contracts.json`; later starts re-use them after checking the chain still has their code. A record
// from before the identity layer (no Semaphore) gets the identity contracts and a new factory; DownloadAnchor and
// its anchored roots stay.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ContractFactory, type InterfaceAbi } from 'ethers';
import { deployIdentityContracts, type IdentityDeployment } from '../identity/deployIdentity.js';
import type { ChainClient } from '../client/chainClient.js';
import { DeploymentMismatch } from '../errors.js';
import { DownloadAnchorAbi, DownloadAnchorBytecode } from '../generated/index.js';

export interface Deployment {
  chainId: string;
  downloadAnchor: string;
  subscriberFactory: string;
  /** Semaphore's contracts and the subscriber group the factory administers. */
  semaphore: string;
  semaphoreVerifier: string;
  poseidonT3: string;
  groupId: string;
  /** The account that deployed them; it holds the admin, operator and anchorer roles. */
  deployer: string;
  blockNumber: number;
}

export const DEPLOYMENT_FILE = 'contracts.json';

export function readDeployment(dataDir: string): Deployment | undefined {
  const file = join(dataDir, DEPLOYMENT_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
}

async function deploy(client: ChainClient, abi: InterfaceAbi, bytecode: string, args: unknown[]): Promise<{ address: string; blockNumber: number }> {
  const request = await new ContractFactory(abi, bytecode).getDeployTransaction(...args);
  const receipt = await client.sendAndWaitMined(request);
  if (receipt.status !== 1 || receipt.contractAddress === null) throw new DeploymentMismatch(`deployment transaction ${receipt.hash} failed`);
  return { address: receipt.contractAddress, blockNumber: receipt.blockNumber };
}

function writeDeployment(dataDir: string, deployment: Deployment): void {
  const file = join(dataDir, DEPLOYMENT_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(deployment, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

async function deployIdentity(client: ChainClient): Promise<IdentityDeployment> {
  const operator = client.address;
  return deployIdentityContracts((abi, bytecode, args) => deploy(client, abi, bytecode, args), { admin: operator, operator }, client.provider);
}

async function assertDeployed(client: ChainClient, recorded: Deployment, dataDir: string): Promise<void> {
  const where = join(dataDir, DEPLOYMENT_FILE);
  if (recorded.chainId !== client.chainId.toString()) {
    throw new DeploymentMismatch(`${where} is for chain ${recorded.chainId}, the node is chain ${client.chainId}`);
  }
  for (const address of [recorded.downloadAnchor, recorded.subscriberFactory, recorded.semaphore, recorded.semaphoreVerifier]) {
    if ((await client.provider.getCode(address)) === '0x') {
      throw new DeploymentMismatch(`${where} names ${address}, which has no code on chain ${recorded.chainId} (chain state lost?)`);
    }
  }
}

/** Returns the recorded deployment, deploying and recording it first when there is none. */
export async function ensureDeployed(client: ChainClient, dataDir: string): Promise<Deployment> {
  const recorded = readDeployment(dataDir);
  if (recorded !== undefined && (recorded as Partial<Deployment>).semaphore === undefined) {
    // Recorded before the identity layer: keep DownloadAnchor (its roots), add Semaphore and a new factory.
    const identity = await deployIdentity(client);
    const upgraded: Deployment = { ...recorded, ...identity, blockNumber: recorded.blockNumber };
    await assertDeployed(client, upgraded, dataDir);
    writeDeployment(dataDir, upgraded);
    return upgraded;
  }
  if (recorded !== undefined) {
    await assertDeployed(client, recorded, dataDir);
    return recorded;
  }
  const operator = client.address;
  const anchor = await deploy(client, DownloadAnchorAbi, DownloadAnchorBytecode, [operator, operator]);
  const identity = await deployIdentity(client);
  const deployment: Deployment = { chainId: client.chainId.toString(), downloadAnchor: anchor.address, ...identity, deployer: operator };
  writeDeployment(dataDir, deployment);
  return deployment;
}
