// `zkesim lpa identity sip-register | sip-call | sip-answer`: the subscriber's side of calls between ZK identities.
// The proofs are made like `identity prove`'s (identityProve.ts: the enabled profile's identity, the subscriber
// group from the chain) and sipp, driven by apps/src/sip/subscriber, is the SIP user agent.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Group } from '@zkesim/contracts';
import { InvalidInput } from '@zkesim/lpa-core';
import type { SubscriberIdentityView } from '@zkesim/protocol';
import { answerCall, checkMedia, offerFacts, sipCall, sipRegister, sippInstalled, sipDomain, SIP_INSTALL_HINT, type SipOutcome } from '../sip/index.js';
import { withSubscriberGroup } from './identityProve.js';
import { runCommand } from './output.js';

type ReadIdentity = (cmd: Command) => Promise<{ identity: SubscriberIdentityView; identitySecret: Uint8Array }>;

interface SipFlags {
  registrar: string;
  domain: string;
  port?: string;
  epochSeconds: string;
}

/** HOST[:PORT] of the registrar (SIP over TCP; port 5060 when not given, RFC 3261 §19.1.2). */
function registrarAddress(text: string): string {
  const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const port = Number(match?.[2] ?? 5060);
  if (match === null || port <= 0 || port > 65535) throw new InvalidInput('registrar', `"${text}" is not HOST[:PORT]`);
  return `${match[1]}:${port}`;
}

/** The --port given; undefined: sipRegister/sipCall choose a free one (again, should another process take it). */
function portFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) === 0 || Number(text) > 65535) throw new InvalidInput('port', `"${text}" is not a TCP port`);
  return Number(text);
}

function epochOf(flags: SipFlags) {
  if (!/^\d{1,9}$/.test(flags.epochSeconds) || Number(flags.epochSeconds) === 0) throw new InvalidInput('epochSeconds', 'must be a positive number of seconds');
  let domain: string;
  try {
    domain = sipDomain(flags.domain);
  } catch (error) {
    throw new InvalidInput('domain', (error as Error).message);
  }
  return { domain, epochSeconds: Number(flags.epochSeconds), nowMs: Date.now() };
}

function requireSipp(): void {
  if (!sippInstalled()) throw new InvalidInput('sipp', `sipp is not installed: ${SIP_INSTALL_HINT}`);
}

/** What a command prints of one sipp exchange; a refusal or a timeout makes the command fail (exit 1). */
function report(outcome: SipOutcome, extra: Record<string, unknown>) {
  if (outcome.status !== 200) process.exitCode = 1;
  return { ...extra, address: outcome.address, callId: outcome.callId, status: outcome.status ?? null, reason: outcome.reason };
}

const groupOf = (group: Group | undefined): Group => {
  if (group === undefined) throw new Error('no subscriber group');
  return group;
};

function common(command: Command): Command {
  return command
    .requiredOption('--registrar <host[:port]>', 'the SIP registrar-proxy (Kamailio of `npm start`), SIP over TCP')
    .option('--domain <domain>', 'the SIP domain of the addresses', 'zkesim.test')
    .option('--port <port>', 'the local TCP port of this user agent (its Contact); default: a free one')
    .option('--epoch-seconds <seconds>', 'the registrar\'s registration epoch (one address per domain and epoch)', '86400');
}

export function registerSipCommands(identity: Command, readIdentity: ReadIdentity): void {
  common(identity.command('sip-register'))
    .description('register the enabled profile\'s pseudonymous SIP address with a ZK proof (sipp)')
    .action((flags: SipFlags, cmd: Command) =>
      runCommand(async () => {
        requireSipp();
        const registrar = registrarAddress(flags.registrar);
        const epoch = epochOf(flags);
        const port = portFlag(flags.port);
        const outcome = await withSubscriberGroup(await readIdentity(cmd), process.env, process.cwd(), (id, group) => sipRegister(registrar, id, groupOf(group), epoch, port));
        return report(outcome, { registrar, contactPort: outcome.localPort });
      }),
    );
  common(identity.command('sip-call'))
    .description('call a pseudonymous SIP address with a ZK proof that commits to the offered DTLS fingerprint (sipp)')
    .argument('<address>', 'the callee, zk-…@domain')
    .requiredOption('--fingerprint <hash-and-hex>', 'the a=fingerprint value offered, e.g. "sha-256 AB:CD:…" (RFC 8122)')
    .action((callee: string, flags: SipFlags & { fingerprint: string }, cmd: Command) =>
      runCommand(async () => {
        requireSipp();
        if (!/^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+$/.test(callee)) throw new InvalidInput('address', `"${callee}" is not user@domain`);
        if (!/^[A-Za-z0-9-]+ [0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/.test(flags.fingerprint)) throw new InvalidInput('fingerprint', 'want "HASH HEX:HEX:…"');
        const registrar = registrarAddress(flags.registrar);
        const epoch = epochOf(flags);
        const port = portFlag(flags.port);
        const outcome = await withSubscriberGroup(await readIdentity(cmd), process.env, process.cwd(), (id, group) => sipCall(registrar, id, groupOf(group), epoch, callee, flags.fingerprint, port));
        return report(outcome, { to: callee, completed: outcome.sipp.exitCode === 0 });
      }),
    );
  identity
    .command('sip-answer')
    .description('answer one call on the registered contact port and check its media keys against the caller\'s proof at the verifier')
    .requiredOption('--port <port>', 'the contact port given to sip-register')
    .requiredOption('--fingerprint <hash-and-hex>', 'the a=fingerprint value of the answer')
    .requiredOption('--verifier <url>', 'the ZK verifier (printed by `npm start`)')
    .requiredOption('--verifier-ca <file>', 'PEM certificate the verifier\'s TLS chain leads to (the stack\'s CI)')
    .option('--timeout <seconds>', 'how long to wait for the call', '60')
    .action((flags: { port: string; fingerprint: string; verifier: string; verifierCa: string; timeout: string }) =>
      runCommand(async () => {
        requireSipp();
        const port = portFlag(flags.port);
        if (port === undefined) throw new InvalidInput('port', 'the contact port given to sip-register is required');
        if (!/^\d{1,5}$/.test(flags.timeout)) throw new InvalidInput('timeout', 'must be a number of seconds');
        const answered = await answerCall(port, flags.fingerprint, Number(flags.timeout)).done;
        const invite = answered.messages.find((message) => message.direction === 'received' && message.startLine.startsWith('INVITE'));
        if (invite === undefined) throw new InvalidInput('port', `no call arrived on port ${port}`);
        const facts = offerFacts(invite);
        const media = await checkMedia(flags.verifier, readFileSync(flags.verifierCa, 'utf8'), facts);
        if (media.status !== 200 || answered.exitCode !== 0) process.exitCode = 1;
        return { from: facts.from, callId: facts.callId, completed: answered.exitCode === 0, media };
      }),
    );
}

