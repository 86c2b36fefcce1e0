// The `zkesim` command line (bin/zkesim.js runs it). Each package owns its subcommands and registers them
// here; only the package a command belongs to is loaded, so `zkesim asn1 …` does not pay for the SM-DP+ or
// ethers.
import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;

const PACKAGES: Record<string, () => Promise<{ registerCommands: Register }>> = {
  protocol: () => import('@zkesim/protocol/cli'),
  pki: () => import('@zkesim/pki/cli'),
  // euicc-sim reads no configuration (it imports only protocol and pki): it is told where the stack's PKI is,
  // so that `zkesim euicc create` issues cards the running stack accepts.
  'euicc-sim': async () => {
    const [cli, { stackDataDir, stackPaths }] = await Promise.all([import('@zkesim/euicc-sim/cli'), import('@zkesim/config')]);
    return { registerCommands: (program) => cli.registerCommands(program, { stackPkiDir: stackPaths(stackDataDir(process.env, process.cwd())).pki }) };
  },
  'sm-dp-plus': () => import('@zkesim/sm-dp-plus/cli'),
  'sm-ds': () => import('@zkesim/sm-ds/cli'),
  apps: () => import('./cli.js'),
  contracts: () => import('@zkesim/contracts/cli'),
  // The conformance runner reaches cards through lpa-core's transports plus the sim: transport of apps.
  conformance: async () => {
    const [cli, { appTransports }] = await Promise.all([import('@zkesim/conformance/cli'), import('./transports/simTransport.js')]);
    return { registerCommands: (program) => cli.registerCommands(program, { transports: appTransports() }) };
  },
};

/** Which package registers each top-level command. */
const COMMAND_OWNERS: Record<string, string> = {
  asn1: 'protocol',
  pki: 'pki',
  euicc: 'euicc-sim',
  smdp: 'sm-dp-plus',
  smds: 'sm-ds',
  ds: 'sm-ds',
  lpa: 'apps',
  start: 'apps',
  demo: 'apps',
  operator: 'apps',
  chain: 'contracts',
  conformance: 'conformance',
};

// A closed pipe (`zkesim … | head`) ends the output quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('zkesim')
  .description('GSMA SGP.22 Remote SIM Provisioning stack')
  .showHelpAfterError()
  .exitOverride();

const owner = COMMAND_OWNERS[process.argv[2] ?? ''];
const packages = owner ? [owner] : Object.keys(PACKAGES);
for (const name of packages) {
  const module = await PACKAGES[name]!();
  module.registerCommands(program);
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
