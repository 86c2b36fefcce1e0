import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { createDevelopmentPki } from '../development/create.js';
import type { CurveLabel } from '../keys/curves.js';
import { collect } from './options.js';

interface InitOptions {
  dir: string;
  curve: 'nist' | 'brp' | 'both';
  force?: boolean;
  eid?: string;
  ein?: string[];
  host?: string[];
}

/** `zkesim pki init`: a complete development hierarchy per curve. */
export function registerInit(pki: Command): void {
  pki
    .command('init')
    .description('create a development RSP hierarchy (CI, EUM, eUICC, SM-DP+, SM-DS, operator client) and print what was written')
    .requiredOption('--dir <dir>', 'folder to write into')
    .addOption(new Option('--curve <curve>', 'curve(s) to create').choices(['nist', 'brp', 'both']).default('both'))
    .option('--force', 'replace an existing hierarchy in --dir')
    .option('--eid <eid>', 'EID of the eUICC certificate (32 digits)')
    .option('--ein <prefix>', 'EIN prefix the EUM may sign for (repeatable)', collect)
    .option('--host <name>', 'DNS name or IP address of the TLS certificates (repeatable; default localhost, 127.0.0.1)', collect)
    .action((options: InitOptions) => {
      const curves: CurveLabel[] = options.curve === 'both' ? ['nist', 'brp'] : [options.curve];
      const { pki, files } = createDevelopmentPki(options.dir, {
        curves,
        force: options.force === true,
        ...(options.eid === undefined ? {} : { eid: options.eid }),
        ...(options.ein === undefined ? {} : { permittedEins: options.ein }),
        ...(options.host === undefined ? {} : { hostnames: options.host }),
      });
      process.stdout.write(`Development PKI in ${options.dir} (curves: ${curves.join(', ')}; EID ${pki.eid})\n`);
      for (const file of files) process.stdout.write(`  wrote ${relative(options.dir, file)}\n`);
    });
}
