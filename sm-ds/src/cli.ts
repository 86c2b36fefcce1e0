// `zkesim smds …`: serve. This file only parses arguments and prints; the server is startSmdsServer.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { stackDataDir } from '@zkesim/config';
import { loadConfig, stackSmdsConfigPath, type SmdsConfig } from './config.js';
import { startSmdsServer } from './main.js';

/**
 * --config FILE, else SMDS_CONFIG, else the configuration `zkesim start` runs its SM-DS with
 * (`<data dir>/smds/config.json`), else the defaults for the data directory; SMDS_* variables on top.
 */
function configFrom(options: { config?: string }): SmdsConfig {
  const env = process.env;
  const dataDir = stackDataDir(env, process.cwd());
  const stackConfig = stackSmdsConfigPath(dataDir);
  const file = options.config ?? (env.SMDS_CONFIG || (existsSync(stackConfig) ? stackConfig : undefined));
  return loadConfig({ dataDir, env, ...(file === undefined ? {} : { file }) });
}

/** Adds `zkesim smds` and its subcommands. */
export function registerCommands(program: Command): void {
  const smds = program.command('smds').alias('ds').description('SM-DS server (SGP.22 §3.6 events: ES11 for LPAs, ES12 for SM-DP+s)');
  smds
    .command('serve')
    .description('run the SM-DS (ES11 on one HTTPS port; ES12 and ES15 on another, mutual TLS) until interrupted')
    .option('-c, --config <file>', 'config file (JSON or YAML; default SMDS_CONFIG, else the one `zkesim start` wrote); SMDS_* environment variables override it')
    .action(async (options: { config?: string }) => {
      const running = await startSmdsServer(configFrom(options));
      process.stdout.write(`SM-DS ES11 ${running.url}  ES12/ES15 ${running.peerUrl} (mutual TLS)\n`);
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      await running.close();
    });
}
