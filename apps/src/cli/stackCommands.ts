// `zkesim start` (the whole stack, Ctrl-C stops it) and `zkesim demo` (order → download → enable →
// notifications against the running stack).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ensurePrivateDataDir } from '@zkesim/config';
import { startStack, type RunningStack } from '../stack/startStack.js';
import { stackConfigFromEnvironment } from '../stack/stackConfig.js';
import { runDemo, STACK_FILE, type StackFile } from '../stack/demo.js';

function banner(stack: RunningStack, dataDir: string): string {
  return [
    `zkesim is running (data in ${dataDir}${stack.pkiCreated ? ', created now' : ''})`,
    `  SM-DP+ ES9+   ${stack.smdp.es9Url}   address ${stack.smdpAddress}`,
    `  SM-DP+ ES2+   ${stack.smdp.es2Url}   (mutual TLS, operator certificate ${stack.es2.cert.replace(/\.der$/, '.pem')})`,
    ...(stack.smdp.adminUrl === undefined ? [] : [`  SM-DP+ admin  ${stack.smdp.adminUrl}   (/healthz, /metrics; loopback only)`]),
    `  SM-DS         https://127.0.0.1:${stack.smds.port}   address ${stack.smdsAddress} (the eUICC's root SM-DS; ES11)`,
    `  SM-DS ES12    ${stack.smds.peerUrl}   (ES12/ES15, mutual TLS)`,
    `  eUICC         tcp:127.0.0.1:${stack.euicc.port}   EID ${stack.euicc.eid}`,
    ...operatorLines(stack),
    stack.chain === undefined
      ? '  chain         off (ZKESIM_CHAIN=off)'
      : `  chain         ${stack.chain.rpcUrl}${stack.chain.bundled ? ' (bundled node)' : ''}   DownloadAnchor ${stack.chain.downloadAnchor}`,
    ...stack.sip.lines,
    `  plans API     ${stack.plans.url}   (the operator component's plans, read by the LUI)`,
    '',
    'Activation code of the demo order:',
    `  ${stack.activationCode}`,
    '',
    'Download it with:',
    `  ${stack.lpaCommand}`,
    '',
    ...subscriberLines(stack),
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** The operator component: its staff portal, where the demo admin's password is, and its ES2+ receiver. */
function operatorLines(stack: RunningStack): string[] {
  const admin = stack.operator.demoAdmin;
  return [
    `  Operator portal ${stack.operator.portalUrl}   ${admin === undefined ? '(staff accounts: npx zkesim operator staff add)' : `(sign in as ${admin.username}; password in ${admin.passwordFile})`}`,
    `  Operator ES2+ ${stack.operator.receiver.callbackUrl.replace(/\/gsma\/.*$/, '')}   (HandleDownloadProgressInfo from the SM-DP+, mutual TLS)`,
  ];
}

/** The demo subscriber the operator component onboarded: its contract, its order, and the identity commands. */
function subscriberLines(stack: RunningStack): string[] {
  const subscriber = stack.subscriber;
  if (subscriber === undefined) return [];
  const lpa = stack.lpaCommand.slice(0, stack.lpaCommand.indexOf(' profile download '));
  return [
    `Demo subscriber (onboarded by the operator component, KYC reference ${subscriber.kycReference}):`,
    `  contract      ${subscriber.subscriberContract}   commitment ${subscriber.commitment}`,
    `  order         ${subscriber.order.activationCode}   (its profile carries the subscriber identity)`,
    'Download and enable it, then show the identity and prove membership of the subscriber group:',
    `  ${subscriber.lpaCommand}`,
    `  ${lpa} profile enable ${subscriber.order.iccid}`,
    `  ${lpa} identity show`,
    `  ${lpa} identity prove --scope 1 --message 1 --out proof.json && npx zkesim chain verify-proof proof.json`,
    'Or do all of it in the LUI, the subscriber\'s app in a browser (it prints the address to open):',
    `  ${lpa} ui`,
    '',
  ];
}

async function start(): Promise<void> {
  const config = stackConfigFromEnvironment(process.env, process.cwd());
  // Every file and folder the stack (and the chain node it starts) creates is its owner's alone: keys,
  // databases, logs (SECURITY.md). The data directory itself is made 0700 even if it existed.
  process.umask(0o077);
  ensurePrivateDataDir(config.dataDir);
  const stack = await startStack(config, process.cwd(), (error) => process.stderr.write(`zkesim: eUICC connection error: ${String(error)}\n`)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `${(error as Error).message}: another program (or another \`npm start\`) uses that port; choose others with ZKESIM_ES9_PORT, ZKESIM_ES2_PORT, ZKESIM_EUICC_PORT, ZKESIM_SMDS_PORT, ZKESIM_PORTAL_PORT, ZKESIM_OPERATOR_ES2_PORT (0 = any free port)`,
        { cause: error },
      );
    }
    throw error;
  });
  const stackFile = join(config.dataDir, STACK_FILE);
  const description: StackFile = {
    smdpAddress: stack.smdpAddress,
    smdsAddress: stack.smdsAddress,
    es2: stack.es2,
    euiccPort: stack.euicc.port,
    eid: stack.euicc.eid,
    ciPem: stack.ciPem,
    pid: process.pid,
  };
  writeFileSync(stackFile, `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(banner(stack, config.dataDir));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping zkesim…\n`);
    rmSync(stackFile, { force: true });
    stack.close().then(
      () => {
        process.stdout.write('stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`zkesim: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export function registerStackCommands(program: Command): void {
  program
    .command('start')
    .description('run the whole stack on embedded defaults (SM-DP+, SM-DS, one software eUICC, the bundled chain, a demo order); data in ./data or $ZKESIM_DATA_DIR')
    .action(() => start());
  program
    .command('demo')
    .description('against a running `zkesim start`: operator order → download → enable → notifications, step by step')
    .action(async () => {
      const config = stackConfigFromEnvironment(process.env, process.cwd());
      await runDemo(config.dataDir, (line) => process.stdout.write(`${line}\n`));
    });
}
