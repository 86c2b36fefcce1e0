// Kamailio as a child process: our configuration template (kamailio.cfg next to this file) filled in with the
// ports, domain and paths, Kamailio started in the foreground (-DD) logging to stderr (-E), with its working
// directory and pid file in a folder of ours (no root-only path), and stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PORT_ATTEMPTS, PortTaken, findFreePort, waitForOwnPorts } from '@zkesim/contracts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sipDomain } from '../core/binding.js';

export const KAMAILIO_BINARY = '/usr/sbin/kamailio';
export const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
/** What a Debian or Ubuntu host installs for the SIP server and the subscriber side's SIP client. */
export const SIP_INSTALL_HINT = 'apt-get install kamailio kamailio-utils-modules kamailio-tls-modules sip-tester';

export interface KamailioOptions {
  /** Folder for the rendered configuration, the pid file and Kamailio's working directory. */
  dir: string;
  domain: string;
  /** SIP over TCP on 127.0.0.1. */
  sipPort: number;
  /** The verifier's base URL (https://127.0.0.1:port) and the CA certificate (PEM) its certificate chains to. */
  verifierUrl: string;
  verifierCa: string;
  /** Longest registration Kamailio grants (seconds). */
  maxExpires?: number;
  /** Kamailio's log level (-5..3); default 1 (errors, warnings and notices). */
  debug?: number;
  binary?: string;
  modules?: string;
  /** Receives Kamailio's stderr lines. */
  log?: (line: string) => void;
  /** SIP over TLS on 127.0.0.1:`port` too, with this certificate and key (needs the tls module). */
  tls?: { port: number; certificate: string; key: string };
}

export interface KamailioProcess {
  readonly pid: number | undefined;
  /** Everything Kamailio wrote to stderr (its log), the last 64 kB. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether Kamailio and the modules our configuration loads are installed. */
export function kamailioInstalled(binary = KAMAILIO_BINARY, modules = KAMAILIO_MODULES): boolean {
  return existsSync(binary) && ['http_client.so', 'registrar.so', 'usrloc.so', 'tm.so'].every((module) => existsSync(join(modules, module)));
}

/** Whether Kamailio's tls module (Debian: kamailio-tls-modules) is installed. */
export function kamailioTlsInstalled(modules = KAMAILIO_MODULES): boolean {
  return existsSync(join(modules, 'tls.so'));
}

const template = (name: string) => readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8');

function fill(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for {{${name}}}`);
    return value;
  });
}

function checkedPath(name: string, path: string): string {
  if (!/^[\w./+-]+$/.test(path)) throw new RangeError(`${name} ${path}: unusual characters in the path`);
  return path;
}

function checkedPort(name: string, value: number): string {
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new RangeError(`${name} ${value}`);
  return String(value);
}

/** The configuration for `options`; every value is checked, so none can inject configuration text. */
export function renderKamailioConfig(options: KamailioOptions): string {
  const url = new URL(options.verifierUrl);
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.search !== '') throw new RangeError(`verifierUrl ${options.verifierUrl}: want https://host:port`);
  return fill(
    template('kamailio.cfg'),
    {
      DEBUG: String(options.debug ?? 1),
      LOG_PREFIX: 'kamailio',
      SIP_PORT: checkedPort('sipPort', options.sipPort),
      SIPS_PORT: options.tls === undefined ? '0' : checkedPort('tls.port', options.tls.port),
      TLS_CONFIG: checkedPath('dir', join(options.dir, 'tls.cfg')),
      DOMAIN: sipDomain(options.domain),
      MAX_EXPIRES: String(options.maxExpires ?? 3600),
      MODULES: checkedPath('modules', options.modules ?? KAMAILIO_MODULES),
      VERIFIER_CA: checkedPath('verifierCa', options.verifierCa),
      VERIFIER_URL: url.origin,
    },
    'kamailio.cfg',
  );
}

/** The tls module's profiles (kamailio/tls.cfg) for `options.tls`. */
export function renderKamailioTlsConfig(options: KamailioOptions & { tls: NonNullable<KamailioOptions['tls']> }): string {
  return fill(
    template('tls.cfg'),
    { TLS_CERTIFICATE: checkedPath('tls.certificate', options.tls.certificate), TLS_KEY: checkedPath('tls.key', options.tls.key), VERIFIER_CA: checkedPath('verifierCa', options.verifierCa) },
    'tls.cfg',
  );
}


export async function startKamailio(options: KamailioOptions, startTimeoutMs = 15_000): Promise<KamailioProcess> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const config = join(options.dir, 'kamailio.cfg');
  writeFileSync(config, renderKamailioConfig(options), { mode: 0o600 });
  const args = ['-DD', '-E', '-f', config, '-w', options.dir, '-P', join(options.dir, 'kamailio.pid'), '-Y', options.dir, '-m', '64', '-M', '8'];
  if (options.tls !== undefined) {
    writeFileSync(join(options.dir, 'tls.cfg'), renderKamailioTlsConfig({ ...options, tls: options.tls }), { mode: 0o600 });
    args.push('-A', 'WITH_TLS');
  }
  const child = spawn(options.binary ?? KAMAILIO_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dir });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-65_536);
    if (options.log !== undefined) for (const line of text.split('\n')) if (line.trim() !== '') options.log(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Kamailio must not outlive its parent (a crashed test or stack would leave it holding the port).
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  // Ready once Kamailio's own sockets listen: a connection that succeeds may reach another process that took the
  // port (Kamailio then logs `bind(...) : Address already in use` and exits; the caller gets PortTaken).
  try {
    await waitForOwnPorts({
      name: 'kamailio',
      pid: child.pid,
      ports: [options.sipPort, ...(options.tls === undefined ? [] : [options.tls.port])],
      exited: () => child.exitCode !== null || child.signalCode !== null,
      output: () => output.slice(-4_000),
      timeoutMs: startTimeoutMs,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid, output: () => output, stop };
}

/**
 * Kamailio binds its ports itself, so a port chosen for it (sipPort/sipsPort unset or 0) may be taken by another
 * process before it binds: it is started again on fresh ports then (PORT_ATTEMPTS in all). A configured port
 * that another process holds fails at once, naming the port.
 */
export async function startKamailioOnPorts(
  options: { sipPort?: number | undefined; sipsPort?: number | undefined },
  kamailioOptions: (ports: { sipPort: number; sipsPort: number | undefined }) => KamailioOptions,
): Promise<{ kamailio: KamailioProcess; sipPort: number; sipsPort: number | undefined }> {
  const chosen = (port: number | undefined) => port === undefined || port === 0;
  const portFor = async (port: number | undefined) => (port === undefined || port === 0 ? findFreePort() : port);
  for (let attempt = 1; ; attempt += 1) {
    const sipPort = await portFor(options.sipPort);
    const sipsPort = kamailioTlsInstalled() ? await portFor(options.sipsPort) : undefined;
    try {
      return { kamailio: await startKamailio(kamailioOptions({ sipPort, sipsPort })), sipPort, sipsPort };
    } catch (error) {
      const retry = error instanceof PortTaken && attempt < PORT_ATTEMPTS && ((error.port === sipPort && chosen(options.sipPort)) || (error.port === sipsPort && chosen(options.sipsPort)));
      if (!retry) throw error;
    }
  }
}
