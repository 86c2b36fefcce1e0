// `zkesim euicc ...`: create, inspect and serve software eUICCs kept in a SQLite state file.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eidDigits, eidToBytes } from '@zkesim/protocol';
import { developmentCardIdentity, sgp26Identity } from './adapters/credentials.js';
import { openSqliteStore } from './adapters/sqliteStore.js';
import { stateSummary } from './adapters/stateSummary.js';
import { serveCard, type ServeOptions } from './adapters/serve.js';
import { SMALL_MEMORY_BYTES, type Quirks } from './core/quirks.js';
import { openEuicc, selectEid, stderrLogger } from './main.js';
import { newEuiccState } from './stateFactory.js';

/** The SGP.26 test PKI beside the repository (shared/spec/sgp26), as in this project's checkout. */
const DEFAULT_SGP26_DIR = fileURLToPath(new URL('../../../shared/spec/sgp26/', import.meta.url));

interface CreateOptions {
  state: string;
  eid?: string;
  sgp26?: string | boolean;
  pki?: string;
  isdRAid?: string;
  enableRequiresRefreshFalse?: boolean;
  memory?: string;
  smallMemory?: boolean;
  earlyInstallResult?: string;
  delay?: string;
  ratGrantsNoPolicyRules?: boolean;
}

/** What the `zkesim` command root tells this package (it cannot read the stack's configuration itself). */
export interface CommandDefaults {
  /** The stack's development PKI folder ($ZKESIM_DATA_DIR/pki, default ./data/pki); used when it exists. */
  readonly stackPkiDir?: string;
}

export function registerCommands(program: Command, defaults: CommandDefaults = {}): void {
  const euicc = program.command('euicc').description('software eUICC (SGP.22 ISD-R over APDUs)');
  registerCreate(euicc, defaults);
  registerInfo(euicc);
  registerServe(euicc);
}

function registerCreate(euicc: Command, defaults: CommandDefaults): void {
  euicc
    .command('create')
    .description("create an eUICC in a state file: a new EID and CERT.EUICC from a development PKI's EUM (the stack's when it exists), or the SGP.26 test eUICC")
    .requiredOption('--state <file>', 'SQLite state file (created if missing; may hold several eUICCs)')
    .option('--eid <eid>', "EID (32 digits, within the EUM's permitted EINs); default a new one under the EUM's EIN")
    .option('--sgp26 [dir]', 'use the SGP.26 test eUICC (EID 89049032123451234512345678901235)')
    .option('--pki <dir>', "development PKI whose EUM issues the card (default: the stack's, $ZKESIM_DATA_DIR/pki or ./data/pki, when it exists; else <state>.pki/default, created)")
    .option('--isd-r-aid <hex>', 'quirk: answer SELECT only for this ISD-R AID')
    .option('--enable-requires-refresh-false', 'quirk: EnableProfile only succeeds with refreshFlag FALSE')
    .option('--memory <bytes>', 'quirk: eUICC memory size in bytes')
    .option('--small-memory', `quirk: ${SMALL_MEMORY_BYTES} bytes of memory, as real cards report`)
    .option('--early-install-result <piece>', 'quirk: answer the ProfileInstallationResult at this BPP piece (1-based)')
    .option('--delay <ms>', 'quirk: delay every response by this many milliseconds')
    .option('--rat-grants-no-policy-rules', 'the Rules Authorisation Table grants no PPR: profiles with PPR1/PPR2 are refused')
    .action((options: CreateOptions) => {
      const identity = identityFor(options, defaults);
      const state = newEuiccState({
        eid: eidToBytes(identity.eid),
        credentials: identity.credentials,
        trustedCiCertificates: identity.trustedCiCertificates,
        quirks: quirksOf(options),
      });
      const store = openSqliteStore(options.state);
      try {
        if (store.load(state.eid) !== undefined) throw new Error(`an eUICC with EID ${identity.eid} already exists in ${options.state}`);
        store.save(state);
      } finally {
        store.close();
      }
      process.stdout.write(`${JSON.stringify(stateSummary(state), null, 2)}\n`);
    });
}

function registerInfo(euicc: Command): void {
  euicc
    .command('info')
    .description('print the EID, profiles and notifications of an eUICC as JSON')
    .requiredOption('--state <file>', 'SQLite state file')
    .option('--eid <eid>', 'EID, when the file holds several eUICCs')
    .action((options: { state: string; eid?: string }) => {
      const store = openSqliteStore(options.state);
      try {
        const state = store.load(selectEid(store, options.eid));
        process.stdout.write(`${JSON.stringify(state === undefined ? null : stateSummary(state), null, 2)}\n`);
      } finally {
        store.close();
      }
    });
}

function registerServe(euicc: Command): void {
  euicc
    .command('serve')
    .description('serve the eUICC over PC/SC (vpcd), a line-based hex APDU server, or lpac\'s stdio JSON protocol')
    .requiredOption('--state <file>', 'SQLite state file')
    .option('--eid <eid>', 'EID, when the file holds several eUICCs')
    .option('--vpcd <host:port>', 'connect to the vpcd reader of pcscd (vsmartcard), e.g. 127.0.0.1:35963')
    .option('--tcp <host:port>', 'listen for line-based hex APDUs on TCP')
    .option('--stdio', 'line-based hex APDUs on stdin/stdout')
    .option('--lpac-stdio', 'lpac\'s newline-delimited JSON APDU protocol on stdin/stdout (LPAC_APDU=stdio)')
    .option('--log-level <level>', 'log level on stderr', 'info')
    .action(async (options: ServeOptions & { state: string; eid?: string; logLevel: string }) => {
      const logger = stderrLogger(options.logLevel);
      const { card, store } = openEuicc(options.state, options.eid, logger);
      try {
        await serveCard(card, options, logger);
      } finally {
        store.close();
      }
    });
}

function identityFor(options: CreateOptions, defaults: CommandDefaults): ReturnType<typeof sgp26Identity> {
  if (options.sgp26 !== undefined && options.sgp26 !== false) {
    const identity = sgp26Identity(typeof options.sgp26 === 'string' ? options.sgp26 : DEFAULT_SGP26_DIR);
    if (options.eid !== undefined && options.eid !== identity.eid) throw new Error(`the SGP.26 eUICC has EID ${identity.eid}`);
    return identity;
  }
  if (options.eid !== undefined) eidDigits(options.eid, '--eid');
  const stackPki = defaults.stackPkiDir !== undefined && existsSync(join(defaults.stackPkiDir, 'pki.json')) ? defaults.stackPkiDir : undefined;
  const dir = options.pki ?? stackPki ?? `${options.state}.pki/default`;
  process.stderr.write(`zkesim euicc: CERT.EUICC issued by the EUM of ${dir}\n`);
  return developmentCardIdentity(dir, options.eid, { now: new Date(), random: { bytes: (length) => Uint8Array.from(randomBytes(length)) } });
}

function quirksOf(options: CreateOptions): Partial<Quirks> {
  const quirks: { -readonly [K in keyof Quirks]?: Quirks[K] } = {};
  if (options.isdRAid !== undefined) {
    if (!/^(?:[0-9a-fA-F]{2}){5,16}$/.test(options.isdRAid)) throw new Error('--isd-r-aid must be 5 to 16 bytes of hex');
    quirks.isdRAid = Uint8Array.from(Buffer.from(options.isdRAid, 'hex'));
  }
  if (options.enableRequiresRefreshFalse === true) quirks.enableRequiresRefreshFlagFalse = true;
  if (options.smallMemory === true) quirks.totalMemoryBytes = SMALL_MEMORY_BYTES;
  if (options.memory !== undefined) quirks.totalMemoryBytes = positiveInteger(options.memory, '--memory');
  if (options.earlyInstallResult !== undefined) quirks.earlyInstallResultAtPiece = positiveInteger(options.earlyInstallResult, '--early-install-result');
  if (options.delay !== undefined) quirks.responseDelayMs = positiveInteger(options.delay, '--delay');
  if (options.ratGrantsNoPolicyRules === true) quirks.ratGrantsNoPolicyRules = true;
  return quirks;
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}
