import type { Command } from 'commander';

/** Adds this package's subcommands to the `zkesim` program. */
export function registerCommands(_program: Command): void {
  // This package has no subcommands yet.
}
