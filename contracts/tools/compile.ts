// Compiles contracts/sol/*.sol with solc-js (the npm `solc` package: no download, works offline) and returns
// one artifact per contract. Pure with respect to its inputs: the same sources give byte-identical artifacts,
// which is what the staleness test relies on.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The contracts the build exports (sources may hold helpers that are not exported). */
export const CONTRACT_NAMES = ['Subscriber', 'SubscriberFactory', 'DownloadAnchor'] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

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
  contracts?: Record<string, Record<string, { abi: AbiEntry[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (path: string) => { contents: string } | { error: string } }): string;
}

export class ContractCompileError extends Error {
  override readonly name = 'ContractCompileError';
}

function readImport(path: string): { contents: string } | { error: string } {
  try {
    const file = path.startsWith('@openzeppelin/') ? require.resolve(path) : join(SOURCE_DIR, path);
    return { contents: readFileSync(file, 'utf8') };
  } catch (error) {
    return { error: `cannot read import ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Compiles every `.sol` file of SOURCE_DIR and returns the artifacts of CONTRACT_NAMES. */
export function compileContracts(): ContractArtifact[] {
  const solc = require('solc') as Solc;
  const files = readdirSync(SOURCE_DIR).filter((file) => file.endsWith('.sol')).sort();
  const sources = Object.fromEntries(files.map((file) => [file, { content: readFileSync(join(SOURCE_DIR, file), 'utf8') }]));
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...COMPILER_SETTINGS,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: readImport })) as SolcOutput;
  const problems = (output.errors ?? []).filter((entry) => entry.severity !== 'info');
  if (problems.length > 0) {
    throw new ContractCompileError(problems.map((entry) => entry.formattedMessage).join('\n'));
  }
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(sources[file]?.content ?? '').update('\0');
  const sourcesSha256 = hash.digest('hex');
  return CONTRACT_NAMES.map((contractName) => {
    const sourceName = `${contractName}.sol`;
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
    };
  });
}
