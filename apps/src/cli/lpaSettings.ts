// The LPA CLI's one typed configuration: command-line options, then environment (LPA_*), then defaults.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceIdentity } from '@zkesim/lpa-core';
import { InvalidInput } from '@zkesim/lpa-core';
import type { HttpsOptions } from '@zkesim/lpa-core';
import { parseEuiccLocator, type EuiccLocator } from '@zkesim/lpa-core';
import { appTransports } from '../transports/simTransport.js';

export interface LpaCliOptions {
  euicc?: string;
  ci?: string[];
  resolve?: string[];
  tac?: string;
  imei?: string;
  stateDir?: string;
}

export interface LpaSettings {
  readonly euicc: EuiccLocator;
  readonly https: HttpsOptions;
  readonly device: DeviceIdentity;
  readonly stateDir: string;
}

function pemOf(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InvalidInput('ci', `cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return new X509Certificate(bytes).toString();
  } catch (error) {
    throw new InvalidInput('ci', `${path} is not a certificate (${error instanceof Error ? error.message : String(error)})`);
  }
}

function resolveEntries(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const match = /^([^=]+)=([0-9a-fA-F.:]+)$/.exec(entry);
    if (match === null) throw new InvalidInput('resolve', `"${entry}" is not HOST=IP`);
    out[(match[1] ?? '').toLowerCase()] = match[2] ?? '';
  }
  return out;
}

export function lpaSettings(options: LpaCliOptions, env: NodeJS.ProcessEnv, cwd: string): LpaSettings {
  const dataDir = resolve(cwd, env.ZKESIM_DATA_DIR ?? 'data');
  const euicc = options.euicc ?? env.LPA_EUICC;
  if (euicc === undefined) throw new InvalidInput('euicc', 'say which eUICC to use: --euicc sim:STATEFILE | tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER] (or LPA_EUICC)');
  const defaultCi = join(dataDir, 'pki', 'nist', 'ci.cert.pem');
  const ciFiles = options.ci ?? env.LPA_CI?.split(',').filter((path) => path !== '') ?? (existsSync(defaultCi) ? [defaultCi] : []);
  if (ciFiles.length === 0) throw new InvalidInput('ci', 'no CI certificate to verify RSP servers with: pass --ci FILE (or LPA_CI)');
  const imei = options.imei ?? env.LPA_IMEI;
  const tac = options.tac ?? env.LPA_TAC;
  return {
    euicc: parseEuiccLocator(euicc, appTransports),
    https: {
      trustedCertificates: ciFiles.map((path) => pemOf(resolve(cwd, path))),
      // RFC 6761: localhost is the loopback; IPv4 is where the stack listens.
      resolve: { localhost: '127.0.0.1', ...resolveEntries(options.resolve ?? env.LPA_RESOLVE?.split(',') ?? []) },
    },
    device: { ...(imei === undefined ? {} : { imei }), ...(tac === undefined ? {} : { tac }) },
    stateDir: resolve(cwd, options.stateDir ?? env.LPA_STATE_DIR ?? join(dataDir, 'lpa')),
  };
}
