import type { Command } from 'commander';
import { registerCrl } from './cli/crl.js';
import { registerInit } from './cli/init.js';
import { registerVerify } from './cli/verify.js';

/** Adds `zkesim pki init | verify | issue-crl | revoke`. */
export function registerCommands(program: Command): void {
  const pki = program.command('pki').description('issue, load and validate RSP certificates (SGP.22 §4.5)');
  registerInit(pki);
  registerVerify(pki);
  registerCrl(pki);
}
