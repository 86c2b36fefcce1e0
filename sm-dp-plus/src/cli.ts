// `zkesim smdp …`: serve, import-profiles, provision, block-imei, order, order-identity, outbox, reset, hsm (hsmCli.ts). This file only parses
// arguments, reads files and prints results; the work is done by the same functions the server uses.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadConfig, orderPolicyOf, type SmdpConfig } from './config.js';
import type { CoreDeps, OrderPolicy } from './core/deps.js';
import type { OperatorIdentity } from './es2plus/operator.js';
import { iccidDigits, imeiDigits, viewSubscriberIdentity, decodeSubscriberIdentityToken, encodeSubscriberIdentityToken } from '@zkesim/protocol';
import { parseSubscriberIdentityInput, setOrderSubscriberIdentity } from './core/subscriberIdentity.js';
import { createLogger, outboxState, systemClock, systemRandom, type OutboxState } from '@zkesim/rsp-server';
import { stackDataDir, stackPaths } from '@zkesim/config';
import { openRepository, type OpenedRepository } from './storage/openRepository.js';
import { loadSealer, secretsOf } from './adapters/secrets/keyEncryptionKey.js';
import { importProfiles } from './inventory/importProfiles.js';
import { readTemplateFiles } from './inventory/templateFiles.js';
import { parseProfileMetadata } from './inventory/profileMetadata.js';
import { parseFixtures, type Fixtures } from './provisioning/fixtures.js';
import { provision, resetToFixtures } from './provisioning/provision.js';
import { startSmdpServer } from './main.js';
import { checkWorkers, serveWorkers } from './serveWorkers.js';
import cluster from 'node:cluster';
import { orderStatus } from './orderStatus.js';
import { registerHsmCommands } from './hsmCli.js';

interface ConfigOption {
  config?: string;
}

/**
 * The configuration of the command: --config FILE, else SMDP_CONFIG, else the configuration `zkesim start` runs
 * its SM-DP+ with (`<data dir>/smdp/config.json`, when there is one), else the defaults for the data directory
 * (ZKESIM_DATA_DIR or ./data); SMDP_* environment variables on top.
 */
function configFrom(options: ConfigOption): SmdpConfig {
  const env = process.env;
  const dataDir = stackDataDir(env, process.cwd());
  const stackConfig = stackPaths(dataDir).smdpConfig;
  const file = options.config ?? (env.SMDP_CONFIG || (existsSync(stackConfig) ? stackConfig : undefined));
  return loadConfig({ dataDir, env, ...(file === undefined ? {} : { file }) });
}

/** Storage and core dependencies for the offline commands (no HTTP servers). */
async function withOffline<T>(
  config: SmdpConfig,
  work: (deps: CoreDeps & { repository: OpenedRepository }, policy: OrderPolicy, operators: OperatorIdentity[]) => Promise<T>,
): Promise<T> {
  const repository = await openRepository(config.storage, loadSealer(secretsOf(config), process.env));
  const deps = { clock: systemClock, random: systemRandom, repository, logger: createLogger('sm-dp-plus', 'warn') };
  const policy = orderPolicyOf(config);
  const operators = config.es2.operators.map((o) => ({ operatorId: o.operatorId, ...(o.callbackUrl === undefined ? {} : { callbackUrl: o.callbackUrl }) }));
  try {
    return await work(deps, policy, operators);
  } finally {
    await repository.close();
  }
}

/** A JSON or YAML file's content (by its extension). */
function readStructured(path: string): unknown {
  const text = readFileSync(resolve(path), 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

function readFixtures(path: string): Fixtures {
  return parseFixtures(readStructured(path));
}

function isOutboxState(text: string): text is OutboxState {
  return text === 'pending' || text === 'delivered' || text === 'dead';
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Adds `zkesim smdp` and its subcommands. */
export function registerCommands(program: Command): void {
  const smdp = program.command('smdp').description('SM-DP+ server (SGP.22 ES9+, ES8+, ES2+)');
  smdp
    .command('serve')
    .description('run the SM-DP+ (ES9+ and ES2+ over HTTPS) until interrupted')
    .option('-c, --config <file>', 'config file (JSON or YAML; default SMDP_CONFIG, else the one `zkesim start` wrote); SMDP_* environment variables override it')
    .option('-w, --workers <n>', 'processes sharing the listening ports (more than 1 needs storage.kind postgres)', '1')
    .action(async (options: ConfigOption & { workers: string }) => {
      const config = configFrom(options);
      const workers = Number(options.workers);
      checkWorkers(config, workers);
      if (workers > 1 || cluster.isWorker) {
        const served = await serveWorkers(config, workers);
        if (served === undefined) return;
        const { es9Urls, es2Url, adminUrl } = served.urls;
        process.stdout.write(`SM-DP+ (${workers} workers) ES9+ ${es9Urls.join(' ')}  ES2+ ${es2Url}${adminUrl === undefined ? '' : `  admin ${adminUrl}`}\n`);
        await new Promise<void>((resolveStop) => {
          process.once('SIGINT', () => resolveStop());
          process.once('SIGTERM', () => resolveStop());
        });
        await served.stop();
        return;
      }
      const running = await startSmdpServer(config);
      process.stdout.write(`SM-DP+ ES9+ ${running.es9Urls.join(' ')}  ES2+ ${running.es2Url}${running.adminUrl === undefined ? '' : `  admin ${running.adminUrl}`}\n`);
      await new Promise<void>((resolveStop) => {
        const stop = (): void => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
    });
  smdp
    .command('import-profiles')
    .argument('<dir>', 'folder of SAIP (unprotected profile package) DER files, or one such file')
    .option('-n, --count <n>', 'profiles to create per file', '10')
    .option('--iccid <iccids...>', 'create exactly these ICCIDs (18 to 20 digits; one template file), instead of --count generated ones')
    .option('--metadata <file>', 'profile metadata for every created profile (JSON or YAML: icon, profileClass, profileOwner, profilePolicyRules, notificationConfiguration, names)')
    .option('-c, --config <file>', 'config file')
    .description('import profile templates and create profiles from them')
    .action(async (dir: string, options: ConfigOption & { count: string; iccid?: string[]; metadata?: string }) => {
      const count = Number(options.count);
      if (!Number.isInteger(count) || count < 0) throw new Error('--count must be a whole number');
      const metadata = options.metadata === undefined ? undefined : parseProfileMetadata(readStructured(options.metadata), options.metadata);
      const what = { count, ...(options.iccid === undefined ? {} : { iccids: options.iccid }), ...(metadata === undefined ? {} : { metadata }) };
      const results = await withOffline(configFrom(options), (deps) => importProfiles(deps, readTemplateFiles(resolve(dir)), what));
      print(results.map((r) => ({ profileType: r.profileType, created: options.iccid === undefined ? r.created.length : r.created })));
    });
  smdp
    .command('provision')
    .argument('<file>', 'fixture file (JSON or YAML) with orders and blocked IMEIs')
    .option('-c, --config <file>', 'config file')
    .description('load orders with chosen MatchingIDs, EIDs, confirmation codes, release state and expiry')
    .action(async (file: string, options: ConfigOption) => {
      const fixtures = readFixtures(file);
      print(await withOffline(configFrom(options), (deps, policy, operators) => provision(deps, policy, operators, fixtures)));
    });
  smdp
    .command('block-imei')
    .argument('<imei>', '15- or 16-digit IMEI of a stolen or barred device')
    .option('-r, --reason <text>', 'why it is blocked', 'blocked by the operator')
    .option('--remove', 'take the IMEI off the blocklist instead')
    .option('-c, --config <file>', 'config file')
    .description('add an IMEI to (or remove it from) the device blocklist checked in AuthenticateClient')
    .action(async (imei: string, options: ConfigOption & { reason: string; remove?: boolean }) => {
      const digits = imeiDigits(imei);
      await withOffline(configFrom(options), (deps) =>
        deps.repository.transaction((tx) => (options.remove === true ? tx.unblockImei(digits) : tx.blockImei(digits, options.reason, deps.clock.now()))),
      );
      print({ imei: digits, blocked: options.remove !== true });
    });
  smdp
    .command('order')
    .argument('<iccid>', 'ICCID of the profile')
    .option('-c, --config <file>', 'config file')
    .description("show a profile's state, its latest order and the chain anchor status of its installation result")
    .action(async (iccid: string, options: ConfigOption) => {
      const config = configFrom(options);
      print(await withOffline(config, (deps) => orderStatus({ repository: deps.repository, clock: deps.clock, anchor: config.anchor }, iccid)));
    });
  smdp
    .command('order-identity')
    .argument('<iccid>', 'ICCID of the profile whose open order gets the identity')
    .argument('<file>', 'JSON file { commitment, subscriberContract, chainId, registry, identitySecret } (mode 0600)')
    .option('-c, --config <file>', 'config file')
    .description('give an open order the subscriber identity personalisation puts into its profile (ZK identity layer)')
    .action(async (iccid: string, file: string, options: ConfigOption) => {
      // The file holds the identity secret: refuse one that others may read, as for keys.
      if ((statSync(resolve(file)).mode & 0o077) !== 0) throw new Error(`${file} holds a secret: make it readable by its owner only (chmod 600)`);
      const token = encodeSubscriberIdentityToken(parseSubscriberIdentityInput(JSON.parse(readFileSync(resolve(file), 'utf8'))));
      const digits = iccidDigits(iccid);
      await withOffline(configFrom(options), (deps) => deps.repository.transaction((tx) => setOrderSubscriberIdentity(tx, digits, token)));
      print({ iccid: digits, subscriberIdentity: viewSubscriberIdentity(decodeSubscriberIdentityToken(token).identity) });
    });
  smdp
    .command('outbox')
    .option('-s, --state <state>', 'only entries in this state: pending, delivered or dead')
    .option('-n, --limit <n>', 'at most this many entries, newest first', '100')
    .option('--retry <id>', 'make the dead entry ID pending again, with its attempts back at 0')
    .option('-c, --config <file>', 'config file')
    .description('list the requests to operators and SM-DSs waiting, delivered or dead (attempts, last error), or requeue a dead one')
    .action(async (options: ConfigOption & { state?: string; limit: string; retry?: string }) => {
      if (options.retry !== undefined) {
        const id = Number(options.retry);
        if (!Number.isInteger(id) || id < 1) throw new Error('--retry must be an outbox entry id');
        print({ id, requeued: await withOffline(configFrom(options), (deps) => deps.repository.transaction((tx) => tx.requeueOutbox(id, deps.clock.now()))) });
        return;
      }
      const state = options.state;
      if (state !== undefined && !isOutboxState(state)) throw new Error('--state must be pending, delivered or dead');
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive whole number');
      const entries = await withOffline(configFrom(options), (deps) =>
        deps.repository.transaction((tx) => tx.listOutbox({ ...(state === undefined ? {} : { state }), limit })),
      );
      // The target and the outcome, not the body: it carries EIDs and ICCIDs.
      print(
        entries.map((entry) => ({
          id: entry.id,
          state: outboxState(entry),
          target: entry.targetUrl,
          attempts: entry.attempts,
          createdAt: new Date(entry.createdAt).toISOString(),
          ...(entry.deliveredAt === undefined ? { nextAttemptAt: new Date(entry.nextAttemptAt).toISOString() } : { deliveredAt: new Date(entry.deliveredAt).toISOString() }),
          ...(entry.deadAt === undefined ? {} : { deadAt: new Date(entry.deadAt).toISOString() }),
          ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
        })),
      );
    });
  smdp
    .command('reset')
    .argument('[file]', 'fixture file to load again after the reset')
    .option('-c, --config <file>', 'config file')
    .description('drop every order and make all profiles available again (test instances), then re-provision')
    .action(async (file: string | undefined, options: ConfigOption) => {
      const fixtures = file === undefined ? undefined : readFixtures(file);
      print(await withOffline(configFrom(options), (deps, policy, operators) => resetToFixtures(deps, policy, operators, fixtures)));
    });
  registerHsmCommands(smdp, configFrom);
}
