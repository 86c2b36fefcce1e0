// `npm run contracts:build`: compiles the Solidity sources into contracts/artifacts/*.json and regenerates the
// typed ethers v6 bindings in contracts/src/generated/. Both outputs are checked in; a test fails when they are
// stale (see contracts/test/artifacts.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOutputs, ARTIFACT_DIR, GENERATED_DIR } from './outputs.js';

const outputs = buildOutputs();
mkdirSync(ARTIFACT_DIR, { recursive: true });
mkdirSync(GENERATED_DIR, { recursive: true });
for (const output of outputs) {
  writeFileSync(join(output.directory, output.file), output.content);
}
process.stdout.write(`contracts: wrote ${outputs.length} files to contracts/artifacts and contracts/src/generated\n`);
