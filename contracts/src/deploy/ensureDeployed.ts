// Deploys DownloadAnchor and SubscriberFactory on first start and records their addresses in
// `<dataDir>/contracts.json`; later starts re-use them after checking the chain still has their code.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ContractFactory, type InterfaceAbi } from 'ethers';
import type { ChainClient } from '../client/chainClient.js';
import { DeploymentMismatch } from '../errors.js';
import { DownloadAnchorAbi, DownloadAnchorBytecode, SubscriberFactoryAbi, SubscriberFactoryBytecode } from '../generated/index.js';

export interface Deployment {
  chainId: string;
  downloadAnchor: string;
  subscriberFactory: string;
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

async function assertDeployed(client: ChainClient, recorded: Deployment, dataDir: string): Promise<void> {
  const where = join(dataDir, DEPLOYMENT_FILE);
  if (recorded.chainId !== client.chainId.toString()) {
    throw new DeploymentMismatch(`${where} is for chain ${recorded.chainId}, the node is chain ${client.chainId}`);
  }
  for (const address of [recorded.downloadAnchor, recorded.subscriberFactory]) {
    if ((await client.provider.getCode(address)) === '0x') {
      throw new DeploymentMismatch(`${where} names ${address}, which has no code on chain ${recorded.chainId} (chain state lost?)`);
    }
  }
}

/** Returns the recorded deployment, deploying and recording it first when there is none. */
export async function ensureDeployed(client: ChainClient, dataDir: string): Promise<Deployment> {
  const recorded = readDeployment(dataDir);
  if (recorded !== undefined) {
    await assertDeployed(client, recorded, dataDir);
    return recorded;
  }
  const operator = client.address;
  const anchor = await deploy(client, DownloadAnchorAbi, DownloadAnchorBytecode, [operator, operator]);
  const factory = await deploy(client, SubscriberFactoryAbi, SubscriberFactoryBytecode, [operator, operator]);
  const deployment: Deployment = {
    chainId: client.chainId.toString(),
    downloadAnchor: anchor.address,
    subscriberFactory: factory.address,
    deployer: operator,
    blockNumber: factory.blockNumber,
  };
  const file = join(dataDir, DEPLOYMENT_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(deployment, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return deployment;
}
