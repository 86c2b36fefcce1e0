// Compiles contracts/sol/*.sol with solc-js (the npm `solc` package: no download, works offline) and returns
// one artifact per contract. Pure with respect to its inputs: the same sources give byte-identical artifacts,
// which is what the staleness test relies on.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The contracts the build exports (sources may hold helpers that are not exported). */
export const CONTRACT_NAMES = ['Subscriber', 'SubscriberFactory', 'DownloadAnchor', 'Semaphore', 'SemaphoreVerifier', 'PoseidonT3'] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

/**
 * Semaphore v4's own contracts, compiled from the npm packages (@semaphore-protocol/contracts and its
 * poseidon-solidity dependency) with the same compiler and settings as ours, so the chain runs Semaphore's
 * verifier and group code unchanged. PoseidonT3 is a library with a public function: Semaphore's bytecode links
 * to it (see `linkReferences`).
 */
const PACKAGE_SOURCES: Partial<Record<ContractName, string>> = {
  Semaphore: '@semaphore-protocol/contracts/Semaphore.sol',
  SemaphoreVerifier: '@semaphore-protocol/contracts/base/SemaphoreVerifier.sol',
  PoseidonT3: 'poseidon-solidity/PoseidonT3.sol',
};

/** Where solc must write a library's address: source name → library name → byte ranges of the bytecode. */
export type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export interface AbiParameter {
  name: string;
  type: string;
  internalType?: string;
  indexed?: boolean;
  components?: AbiParameter[];
}

export interface AbiEntry {
  type: 'function' | 'constructor' | 'event' | 'error' | 'receive' | 'fallback';
  name?: string;
  inputs?: AbiParameter[];
  outputs?: AbiParameter[];
  stateMutability?: 'pure' | 'view' | 'nonpayable' | 'payable';
  anonymous?: boolean;
}

export interface ContractArtifact {
  contractName: ContractName;
  sourceName: string;
  compiler: { name: 'solc'; version: string; settings: typeof COMPILER_SETTINGS };
  /** sha256 over every source file fed to the compiler, in name order. */
  sourcesSha256: string;
  abi: AbiEntry[];
  bytecode: string;
  deployedBytecode: string;
  /** Libraries to link into `bytecode` before deploying (empty for most contracts). */
  linkReferences: LinkReferences;
}

/**
 * EVM target: Cancun, so the bytecode runs on any current Ethereum node, not only the newest hard fork.
 * The optimizer is on with many runs because clones and anchors are called far more often than deployed.
 */
export const COMPILER_SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 10_000 },
} as const;

export const SOURCE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'sol');

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<string, { abi: AbiEntry[]; evm: { bytecode: { object: string; linkReferences: LinkReferences }; deployedBytecode: { object: string } } }>
  >;
}

interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (path: string) => { contents: string } | { error: string } }): string;
}

export class ContractCompileError extends Error {
  override readonly name = 'ContractCompileError';
}

/** The file of an import: ours from SOURCE_DIR, `<package>/<path>` from that npm package's folder. */
function importFile(path: string): string {
  const own = join(SOURCE_DIR, path);
  if (existsSync(own)) return own;
  const segments = path.split('/');
  const packageName = (path.startsWith('@') ? segments.slice(0, 2) : segments.slice(0, 1)).join('/');
  return join(dirname(require.resolve(`${packageName}/package.json`)), path.slice(packageName.length + 1));
}

function readImport(path: string): { contents: string } | { error: string } {
  try {
    return { contents: readFileSync(importFile(path), 'utf8') };
  } catch (error) {
    return { error: `cannot read import ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Compiles every `.sol` file of SOURCE_DIR and returns the artifacts of CONTRACT_NAMES. */
export function compileContracts(): ContractArtifact[] {
  const solc = require('solc') as Solc;
  const files = readdirSync(SOURCE_DIR).filter((file) => file.endsWith('.sol')).sort();
  const names = [...files, ...Object.values(PACKAGE_SOURCES)];
  const sources = Object.fromEntries(names.map((name) => [name, { content: readFileSync(importFile(name), 'utf8') }]));
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...COMPILER_SETTINGS,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.bytecode.linkReferences', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: readImport })) as SolcOutput;
  const problems = (output.errors ?? []).filter((entry) => entry.severity !== 'info');
  if (problems.length > 0) {
    throw new ContractCompileError(problems.map((entry) => entry.formattedMessage).join('\n'));
  }
  const hash = createHash('sha256');
  for (const name of names) hash.update(name).update('\0').update(sources[name]?.content ?? '').update('\0');
  const sourcesSha256 = hash.digest('hex');
  return CONTRACT_NAMES.map((contractName) => {
    const sourceName = PACKAGE_SOURCES[contractName] ?? `${contractName}.sol`;
    const compiled = output.contracts?.[sourceName]?.[contractName];
    if (compiled === undefined) throw new ContractCompileError(`solc produced no ${contractName} in ${sourceName}`);
    return {
      contractName,
      sourceName,
      compiler: { name: 'solc', version: solc.version(), settings: COMPILER_SETTINGS },
      sourcesSha256,
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
      linkReferences: compiled.evm.bytecode.linkReferences,
    };
  });
}
