// The LPA CLI's one typed configuration, through the shared loader of @zkesim/config: the schema's defaults
// (files of the stack's data directory, ZKESIM_DATA_DIR or ./data), then the environment (LPA_*), then
// command-line options.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { configErrorAt, loadConfig, path, pathList, stackDataDir, stackPaths, type ConfigSpec, type Environment } from '@zkesim/config';
import type { DeviceIdentity } from '@zkesim/lpa-core';
import type { HttpsOptions } from '@zkesim/lpa-core';
import { parseEuiccLocator, parseResolveEntry, type EuiccLocator } from '@zkesim/lpa-core';
import { appTransports } from '../transports/simTransport.js';

export interface LpaCliOptions {
  euicc?: string;
  ci?: string[];
  resolve?: string[];
  tac?: string;
  imei?: string;
  stateDir?: string;
  cardLog?: string;
}

/** The LPA's settings; defaults from the data directory. */
export function lpaConfigSchema(dataDir: string) {
  const defaultCi = join(stackPaths(dataDir).pki, 'nist', 'ci.cert.pem');
  return z.strictObject({
    /** Which eUICC: sim:STATEFILE | tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER]. */
    euicc: z.string({
      error: (issue) => (issue.input === undefined ? 'say which eUICC to use: --euicc sim:STATEFILE | tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER]' : undefined),
    }),
    /** CI certificates RSP servers' TLS chains must end at; default the stack's development CI when it exists. */
    ci: pathList()
      .min(1, 'no CI certificate to verify RSP servers with: pass --ci FILE')
      .prefault(() => (existsSync(defaultCi) ? [defaultCi] : [])),
    /** HOST[:PORT]=IP[:PORT]: connect to IP (and PORT) for HOST (the certificate is still checked for HOST). */
    resolve: z
      .array(z.string().refine((entry) => parseResolveEntry(entry) !== undefined, { error: (issue) => `"${String(issue.input)}" is not HOST[:PORT]=IP[:PORT]` }))
      .default([]),
    tac: z.string().optional(),
    imei: z.string().optional(),
    /** Where kept Bound Profile Packages go. */
    stateDir: path().default(stackPaths(dataDir).lpa),
    /** The `sim:` card's own log: a file, or `-` for stderr. */
    cardLog: z.string().min(1).optional(),
  });
}

export interface LpaSettings {
  readonly euicc: EuiccLocator;
  readonly https: HttpsOptions;
  readonly device: DeviceIdentity;
  readonly stateDir: string;
  /** The `sim:` card's log destination (a file resolved against the working directory, or `-`). */
  readonly cardLog?: string;
}

function pemOf(config: object, path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw configErrorAt(config, 'lpa', 'ci', `cannot read ${path} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  try {
    return new X509Certificate(bytes).toString();
  } catch (error) {
    throw configErrorAt(config, 'lpa', 'ci', `${path} is not a certificate (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

const optionName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function lpaSettings(options: LpaCliOptions, env: Environment, cwd: string): LpaSettings {
  const spec: ConfigSpec<ReturnType<typeof lpaConfigSchema>> = { component: 'lpa', envPrefix: 'LPA', schema: lpaConfigSchema(stackDataDir(env, cwd)) };
  // Only the options that are settings (a command's own options, such as --activation-code, are not).
  const values = { euicc: options.euicc, ci: options.ci, resolve: options.resolve, tac: options.tac, imei: options.imei, stateDir: options.stateDir, cardLog: options.cardLog };
  const config = loadConfig(spec, { cwd, env, overrides: { values, source: optionName } });
  const resolve: Record<string, string> = {};
  for (const entry of config.resolve) {
    const parsed = parseResolveEntry(entry);
    if (parsed !== undefined) resolve[parsed.key] = parsed.target;
  }
  const euicc = parseEuiccLocator(config.euicc, appTransports());
  // Only the in-process card's log can be reached; a tcp:, stdio: or PC/SC card logs where it runs.
  if (config.cardLog !== undefined && !(euicc.kind === 'extra' && euicc.scheme === 'sim')) {
    throw configErrorAt(config, 'lpa', 'cardLog', 'applies to a sim:STATEFILE card only (a tcp:, stdio: or pcsc card logs where it runs)');
  }
  const cardLog = config.cardLog === undefined || config.cardLog === '-' ? config.cardLog : resolvePath(cwd, config.cardLog);
  return {
    euicc,
    https: {
      trustedCertificates: config.ci.map((file) => pemOf(config, file)),
      // RFC 6761: localhost is the loopback; IPv4 is where the stack listens.
      resolve: { localhost: '127.0.0.1', ...resolve },
    },
    device: { ...(config.imei === undefined ? {} : { imei: config.imei }), ...(config.tac === undefined ? {} : { tac: config.tac }) },
    stateDir: config.stateDir,
    ...(cardLog === undefined ? {} : { cardLog }),
  };
}
