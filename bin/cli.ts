// Root of the `zkesim` command line. Each package owns its subcommands and registers them here;
// this file only wires them together and turns an uncaught error into a one-line message.
import { Command, CommanderError } from 'commander';
import { registerCommands as protocolCommands } from '@zkesim/protocol/cli';
import { registerCommands as pkiCommands } from '@zkesim/pki/cli';
import { registerCommands as euiccCommands } from '@zkesim/euicc-sim/cli';
import { registerCommands as smdpCommands } from '@zkesim/sm-dp-plus/cli';
import { registerCommands as smdsCommands } from '@zkesim/sm-ds/cli';
import { registerCommands as lpaCommands } from '@zkesim/lpa-core/cli';
import { registerCommands as chainCommands } from '@zkesim/contracts/cli';

// A closed pipe (`zkesim … | head`) ends the output quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('zkesim')
  .description('GSMA SGP.22 Remote SIM Provisioning stack')
  .showHelpAfterError()
  .exitOverride();

for (const register of [protocolCommands, pkiCommands, euiccCommands, smdpCommands, smdsCommands, lpaCommands, chainCommands]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`zkesim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
