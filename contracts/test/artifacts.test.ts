// The checked-in artifacts and generated bindings must be what the current Solidity sources compile to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutputs } from '../tools/outputs.js';

describe('contracts build outputs', () => {
  it('artifacts and bindings are up to date with contracts/sol (run `npm run contracts:build` if not)', () => {
    for (const output of buildOutputs()) {
      const onDisk = readFileSync(join(output.directory, output.file), 'utf8');
      expect(onDisk, `${output.file} is stale`).toBe(output.content);
    }
  });
});
