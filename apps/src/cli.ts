// Registers `zkesim lpa …`, `zkesim start`, `zkesim demo` and `zkesim operator …` (zkesim.ts maps these commands here).
import type { Command } from 'commander';
import { registerLpaCommands } from './cli/lpaCommands.js';
import { registerStackCommands } from './cli/stackCommands.js';
import { registerOperatorCommands } from './operator/portal/staffCli.js';

/** Adds this package's subcommands to the `zkesim` program. */
export function registerCommands(program: Command): void {
  registerLpaCommands(program);
  registerStackCommands(program);
  registerOperatorCommands(program);
}
