// Every file the contracts build writes, computed in memory, so the build and the staleness test share it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileContracts, CONTRACT_NAMES } from './compile.js';
import { commonBinding, contractBinding, indexBinding } from './bindings.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACT_DIR = resolve(packageDir, 'artifacts');
export const GENERATED_DIR = resolve(packageDir, 'src', 'generated');

export interface BuildOutput {
  directory: string;
  file: string;
  content: string;
}

export function buildOutputs(): BuildOutput[] {
  const artifacts = compileContracts();
  return [
    ...artifacts.map((artifact) => ({
      directory: ARTIFACT_DIR,
      file: `${artifact.contractName}.json`,
      content: `${JSON.stringify(artifact, null, 2)}\n`,
    })),
    ...artifacts.map((artifact) => ({ directory: GENERATED_DIR, file: `${artifact.contractName}.ts`, content: contractBinding(artifact) })),
    { directory: GENERATED_DIR, file: 'common.ts', content: commonBinding() },
    { directory: GENERATED_DIR, file: 'index.ts', content: indexBinding(CONTRACT_NAMES) },
  ];
}
