// `zkesim lpa …`: chip, profile, notification and discovery commands over the Lpa library.
import { Command } from 'commander';
import { parseActivationCode, assertSmdpAddress } from '@zkesim/lpa-core';
import { InvalidInput, NotificationsNotDelivered } from '@zkesim/lpa-core';
import { DEFAULT_DISCOVERY_DEPTH, Lpa } from '@zkesim/lpa-core';
import { errorPayload, runCommand, progressLine } from './output.js';
import { terminalInteraction } from './prompt.js';
import { lpaSettings, type LpaCliOptions } from './lpaSettings.js';
import { withLpaSession } from './lpaSession.js';
import { writeFileSync } from 'node:fs';
import { proveWithIdentity, type ProveFlags } from './identityProve.js';
import { registerSipCommands } from './identitySip.js';
import { registerUiCommand } from '../lui/uiCommand.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Opens the card and the LPA for one command, runs `body`, and always closes both. */
function withLpa<T>(command: Command, body: (lpa: Lpa) => Promise<T>, extra: { askConsent?: boolean } = {}): Promise<T> {
  const settings = lpaSettings(command.optsWithGlobals<LpaCliOptions>(), process.env, process.cwd());
  return withLpaSession(settings, { interaction: terminalInteraction({ askConsent: extra.askConsent ?? false }), progress: progressLine }, body);
}

function seqNumbers(values: readonly string[]): bigint[] {
  return values.map((value) => {
    if (!/^\d+$/.test(value)) throw new InvalidInput('seqNumber', `"${value}" is not a notification sequence number`);
    return BigInt(value);
  });
}

interface DownloadFlags {
  discover?: boolean;
  smds?: string;
  activationCode?: string;
  smdp?: string;
  matchingId?: string;
  confirmationCode?: string;
  notify: boolean;
  confirm?: boolean;
}

function downloadRequest(flags: DownloadFlags) {
  if (flags.activationCode !== undefined) {
    if (flags.smdp !== undefined || flags.matchingId !== undefined) throw new InvalidInput('activationCode', 'give either --activation-code or --smdp/--matching-id, not both');
    const code = parseActivationCode(flags.activationCode);
    return { smdpAddress: code.smdpAddress, matchingId: code.matchingId, ...(code.smdpOid === undefined ? {} : { smdpOid: code.smdpOid }) };
  }
  // Neither: the eUICC's default SM-DP+ address (SGP.22 §3.1.3).
  if (flags.smdp !== undefined) assertSmdpAddress(flags.smdp, 'smdp');
  return { ...(flags.smdp === undefined ? {} : { smdpAddress: flags.smdp }), ...(flags.matchingId === undefined ? {} : { matchingId: flags.matchingId }) };
}

/**
 * Each discovered download's outcome, failures in the shape errors print in; the command fails (exit 1) when
 * any download failed, after reporting all of them.
 */
function discoveredDownloads(outcome: Awaited<ReturnType<Lpa['downloadDiscovered']>>) {
  const downloads = outcome.downloads.map((download) => ('error' in download ? { event: download.event, error: errorPayload(download.error) } : download));
  if (downloads.some((download) => 'error' in download)) process.exitCode = 1;
  return { ...outcome, downloads };
}

function downloadCommands(profile: Command): void {
  profile
    .command('download')
    .description('download and install a profile (SGP.22 §3.1.3)')
    .option('-a, --activation-code <AC>', 'LPA:1$address$matchingId[$oid[$1]]')
    .option('-s, --smdp <address>', 'SM-DP+ address (without an activation code; default: the eUICC\'s default SM-DP+)')
    .option('-m, --matching-id <id>', 'matching ID for --smdp')
    .option('-c, --confirmation-code <code>', 'confirmation code, when the operator gave one')
    .option('--no-notify', 'keep the install notification on the eUICC (send it later with `notification process`)')
    .option('--confirm', 'ask before installing (in a terminal)')
    .option('--discover', "download every pending profile an SM-DS names (SGP.22 §3.6.2; default: the eUICC's root SM-DS), without an activation code")
    .option('--smds <address>', 'SM-DS address for --discover')
    .action((flags: DownloadFlags, cmd: Command) =>
      runCommand(() => {
        const confirmationCode = flags.confirmationCode === undefined ? {} : { confirmationCode: flags.confirmationCode };
        if (flags.discover === true) {
          if (flags.activationCode !== undefined || flags.smdp !== undefined || flags.matchingId !== undefined) {
            throw new InvalidInput('discover', 'give either --discover or an activation code / --smdp, not both');
          }
          return withLpa(cmd, async (l) => discoveredDownloads(await l.downloadDiscovered({ ...(flags.smds === undefined ? {} : { smdsAddress: flags.smds }), ...confirmationCode, sendNotifications: flags.notify })), {
            askConsent: flags.confirm === true,
          });
        }
        if (flags.smds !== undefined) throw new InvalidInput('smds', '--smds goes with --discover');
        return withLpa(cmd, (l) => l.downloadProfile({ ...downloadRequest(flags), ...confirmationCode, sendNotifications: flags.notify }), { askConsent: flags.confirm === true });
      }),
    );
  profile
    .command('resume')
    .description('retry loading a downloaded BPP whose load into the card was interrupted (same card session)')
    .argument('[transactionId]', 'hex transaction ID (default: the latest)')
    .option('--no-notify', 'keep the install notification on the eUICC')
    .action((transactionId: string | undefined, flags: { notify: boolean }, cmd: Command) =>
      runCommand(() => {
        if (transactionId !== undefined && !/^(?:[0-9A-Fa-f]{2}){1,16}$/.test(transactionId)) throw new InvalidInput('transactionId', `"${transactionId}" is not 1 to 16 bytes of hex`);
        const id = transactionId === undefined ? undefined : Uint8Array.from(Buffer.from(transactionId, 'hex'));
        return withLpa(cmd, (l) => l.resumeDownload(id, flags.notify));
      }),
    );
}

function profileCommands(lpa: Command): void {
  const profile = lpa.command('profile').description('profiles on the eUICC');
  profile.command('list').description('ES10c.GetProfilesInfo').action((_o, cmd: Command) => runCommand(() => withLpa(cmd, (l) => l.listProfiles())));
  downloadCommands(profile);
  for (const [name, description] of [['enable', 'ES10c.EnableProfile'], ['disable', 'ES10c.DisableProfile']] as const) {
    profile
      .command(name)
      .description(`${description} (ICCID or ISD-P AID)`)
      .argument('<profile>', 'ICCID (digits) or ISD-P AID (hex)')
      .option('--refresh', 'set refreshFlag: the eUICC asks the device for a REFRESH')
      .option('--notify', "send this operation's notification right away")
      .action((id: string, flags: { refresh?: boolean; notify?: boolean }, cmd: Command) =>
        runCommand(() =>
          withLpa(cmd, (l) => {
            const options = { refreshFlag: flags.refresh === true, sendNotifications: flags.notify === true };
            return name === 'enable' ? l.enableProfile(id, options) : l.disableProfile(id, options);
          }),
        ),
      );
  }
  profile
    .command('delete')
    .description('ES10c.DeleteProfile (ICCID or ISD-P AID)')
    .argument('<profile>', 'ICCID (digits) or ISD-P AID (hex)')
    .option('--notify', "send this operation's notification right away")
    .action((id: string, flags: { notify?: boolean }, cmd: Command) => runCommand(() => withLpa(cmd, (l) => l.deleteProfile(id, { sendNotifications: flags.notify === true }))));
  profile
    .command('nickname')
    .description('ES10c.SetNickname')
    .argument('<iccid>')
    .argument('<name>')
    .action((iccid: string, name: string, _o, cmd: Command) =>
      runCommand(() =>
        withLpa(cmd, async (l) => {
          await l.setNickname(iccid, name);
          return { iccid, profileNickname: name };
        }),
      ),
    );
}

function notificationCommands(lpa: Command): void {
  const notification = lpa.command('notification').description('pending notifications on the eUICC');
  notification.command('list').description('ES10b.ListNotification').action((_o, cmd: Command) => runCommand(() => withLpa(cmd, (l) => l.listNotifications())));
  notification
    .command('process')
    .description('send pending notifications to their SM-DP+ and remove the accepted ones (all, or the given seqNumbers)')
    .argument('[seqNumber...]')
    .action((values: string[], _o, cmd: Command) =>
      runCommand(() =>
        withLpa(cmd, async (l) => {
          const outcomes = await l.processNotifications(values.length === 0 ? {} : { seqNumbers: seqNumbers(values) });
          const failed = outcomes.filter((outcome) => outcome.status === 'failed');
          if (failed.length > 0) throw new NotificationsNotDelivered(failed, outcomes.length);
          return outcomes;
        }),
      ),
    );
  notification
    .command('remove')
    .description('remove notifications from the eUICC without sending them')
    .argument('[seqNumber...]')
    .option('--all', 'every pending notification')
    .action((values: string[], flags: { all?: boolean }, cmd: Command) =>
      runCommand(() =>
        withLpa(cmd, async (l) => {
          const numbers = flags.all === true ? (await l.listNotifications()).map((n) => n.seqNumber) : seqNumbers(values);
          if (numbers.length === 0) throw new InvalidInput('seqNumber', 'give sequence numbers or --all');
          await l.removeNotifications(numbers);
          return { removed: numbers };
        }),
      ),
    );
}

/**
 * The subscriber identity of the enabled profile (ZK identity layer, vendor ES10 extension 'FA'). `show`
 * prints only the public part and asks the eUICC for nothing more: there is deliberately no flag that prints
 * the identity secret (SECURITY.md, "Identity secret on the device").
 */
function identityCommands(lpa: Command): void {
  const identity = lpa.command('identity').description('the subscriber identity (ZK identity layer) of the enabled profile');
  identity
    .command('show')
    .description('ICCID, identity commitment, subscriber contract, chain id and registry (never the secret)')
    .action((_o, cmd: Command) => runCommand(() => withLpa(cmd, (l) => l.readSubscriberIdentity())));
  identity
    .command('prove')
    .description('a Semaphore proof of membership of the subscriber group (read from the chain), for a scope and a message; the JSON `zkesim chain verify-proof` reads')
    .requiredOption('--scope <value>', 'the proof\'s scope (its nullifier is per scope): a number, 0x hex, or text of up to 32 bytes')
    .requiredOption('--message <value>', 'the message the proof binds: a number, 0x hex, or text of up to 32 bytes')
    .option('--group <which>', 'chain: the subscriber group on chain (default); self: the group of the own commitment, as a Subscriber contract\'s executeWithProof takes it', 'chain')
    .option('--out <file>', 'write the proof JSON to this file (0600) instead of printing it')
    .action((flags: ProveFlags & { out?: string }, cmd: Command) =>
      runCommand(async () => {
        const identity = await withLpa(cmd, (l) => l.readSubscriberIdentityWithSecret());
        const proof = await proveWithIdentity(identity, flags, process.env, process.cwd());
        if (flags.out === undefined) return proof;
        writeFileSync(flags.out, `${JSON.stringify(proof, null, 2)}\n`, { mode: 0o600 });
        return { file: flags.out, merkleTreeRoot: proof.merkleTreeRoot, nullifier: proof.nullifier };
      }),
    );
  registerSipCommands(identity, (cmd) => withLpa(cmd, (l) => l.readSubscriberIdentityWithSecret()));
}

export function registerLpaCommands(program: Command): void {
  const lpa = program
    .command('lpa')
    .description('the LPA: talk to an eUICC and to RSP servers (SGP.22 §3)')
    .option('--euicc <locator>', 'sim:STATEFILE | tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER] (env LPA_EUICC)')
    .option('--ci <file>', 'CI certificate the servers\' TLS chains must lead to; repeatable (env LPA_CI)', collect)
    .option('--resolve <host[:port]=ip[:port]>', 'connect to ip (and port) for host (on that port), still verifying the certificate for host; repeatable (env LPA_RESOLVE)', collect)
    .option('--tac <digits>', '8-digit TAC sent in DeviceInfo (env LPA_TAC)')
    .option('--imei <digits>', '15-digit IMEI sent in DeviceInfo (env LPA_IMEI)')
    .option('--state-dir <dir>', 'where downloaded BPPs are kept for resume (env LPA_STATE_DIR)')
    .option('--card-log <file>', "sim: cards only: append the card's own log (why it refused a certificate or a profile) to file, or - for stderr (env LPA_CARD_LOG)");
  const chip = lpa.command('chip').description('the eUICC itself');
  chip.command('info').description('EID, addresses, EUICCInfo2').action((_o, cmd: Command) => runCommand(() => withLpa(cmd, (l) => l.euiccInfo())));
  chip
    .command('default-smdp')
    .description('show the default SM-DP+ address, or set it (ES10a.SetDefaultDpAddress; "" removes it)')
    .argument('[address]')
    .action((address: string | undefined, _o, cmd: Command) =>
      runCommand(() =>
        withLpa(cmd, async (l) => {
          if (address !== undefined && address !== '') assertSmdpAddress(address, 'defaultDpAddress');
          if (address !== undefined) await l.setDefaultSmdpAddress(address);
          return l.configuredAddresses();
        }),
      ),
    );
  profileCommands(lpa);
  notificationCommands(lpa);
  identityCommands(lpa);
  registerUiCommand(lpa);
  lpa
    .command('discovery')
    .description('ask an SM-DS for pending events (ES11; default: the eUICC\'s root SM-DS), following pointers to Alternative SM-DSs')
    .option('--smds <address>', 'SM-DS address')
    .option('--depth <n>', `how many pointers to Alternative SM-DSs to follow (default ${DEFAULT_DISCOVERY_DEPTH})`)
    .action((flags: { smds?: string; depth?: string }, cmd: Command) =>
      runCommand(() => {
        if (flags.depth !== undefined && !/^\d{1,2}$/.test(flags.depth)) throw new InvalidInput('depth', `"${flags.depth}" is not a number of hops`);
        return withLpa(cmd, (l) => l.discover(flags.smds, flags.depth === undefined ? undefined : Number(flags.depth)));
      }),
    );
}
