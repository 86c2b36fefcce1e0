// `zkesim lpa [--euicc …] ui [--port P] [--plans-url URL]`: starts the LUI and prints the address to open (with
// the launch token) on stdout; runs until Ctrl-C.
import type { Command } from 'commander';
import { stackDataDir, stackPaths } from '@zkesim/config';
import { InvalidInput } from '@zkesim/lpa-core';
import { lpaSettings, type LpaCliOptions } from '../cli/lpaSettings.js';
import { readPlansApiFile } from '../operator/plans/plansServer.js';
import { startLui } from './luiServer.js';

export function registerUiCommand(lpa: Command): void {
  lpa
    .command('ui')
    .description('the LUI: the subscriber\'s app (profiles, adding an eSIM, plans, blockchain services) in a browser, on 127.0.0.1 with a per-launch token')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--plans-url <url>', "the operator's plans API (default: the one `npm start` runs, from <data>/operator/plans-api.json)")
    .action(async (flags: { port: string; plansUrl?: string }, cmd: Command) => {
      try {
        if (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535) throw new InvalidInput('port', `"${flags.port}" is not a port number`);
        if (flags.plansUrl !== undefined && !flags.plansUrl.startsWith('https://')) throw new InvalidInput('plansUrl', 'must be an https:// URL');
        const settings = lpaSettings(cmd.optsWithGlobals<LpaCliOptions>(), process.env, process.cwd());
        const plansUrl = flags.plansUrl ?? readPlansApiFile(stackPaths(stackDataDir(process.env, process.cwd())).operator)?.url;
        const lui = await startLui({ settings, port: Number(flags.port), ...(plansUrl === undefined ? {} : { plansUrl }), env: process.env, cwd: process.cwd() });
        process.stdout.write(`zkesim LUI: open ${lui.url}\n(loopback only; the address carries this launch's token, keep it to yourself. Ctrl-C stops.)\n`);
        const stop = () => {
          void lui.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        process.stderr.write(`zkesim lpa ui: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
