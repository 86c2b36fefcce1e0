// Starts the SM-DS of the stack beside the SM-DP+ (ES11 on one port, ES12/ES15 on another): sm-ds's own
// wiring (startSmdsServer) on a config built from the development PKI (DSauth, DStls, the CI as the trust of SM-DP+s and SM-DSs), SMDS_* variables on
// top, through the same loader as `zkesim smds serve`, which finds the configuration written here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Environment } from '@zkesim/config';
import type { BoundSockets } from '@zkesim/rsp-server';
import { loadConfig, stackSmdsConfigPath, startSmdsServer, type RunningSmds, type SmdsConfig } from '@zkesim/sm-ds';
import type { StackPki } from './developmentPki.js';

export type { RunningSmds };

export interface SmdsOptions {
  readonly dataDir: string;
  readonly pki: StackPki;
  readonly address: string;
  readonly port: number;
  /** ES12/ES15, mutual TLS. */
  readonly peerPort: number;
  /** Sockets bound before the SM-DP+'s configuration named these ports (stackPorts.ts), served, not bound again. */
  readonly boundSockets?: BoundSockets;
  /** SMDS_CONFIG and SMDS_* variables applied over the stack's choices. */
  readonly environment?: Environment;
  readonly cwd?: string;
}

export function stackSmdsConfig(options: SmdsOptions): SmdsConfig {
  const h = options.pki.nist;
  const values = {
    address: options.address,
    host: '127.0.0.1',
    port: options.port,
    peerPort: options.peerPort,
    tlsCertificate: h.dstls.certificatePath,
    tlsKey: h.dstls.keyPath,
    credentials: [{ ciCertificate: h.ci.certificatePath, dsAuthCertificate: h.dsauth.certificatePath, dsAuthKey: h.dsauth.keyPath }],
    crls: [h.crlPath],
    clientCis: [h.ci.certificatePath],
    storage: { kind: 'sqlite', path: join(options.dataDir, 'smds', 'smds.db') },
    logLevel: 'info',
    metrics: false,
    // The stack's operational endpoints are the SM-DP+'s (ZKESIM_ADMIN_PORT); SMDS_ADMIN_ENABLED=true adds the SM-DS's.
    admin: { enabled: false },
  };
  return loadConfig({ dataDir: options.dataDir, env: options.environment ?? {}, base: { values, source: 'zkesim start' }, cwd: options.cwd ?? process.cwd() });
}

export async function startStackSmds(options: SmdsOptions): Promise<RunningSmds> {
  const config = stackSmdsConfig(options);
  const dir = join(options.dataDir, 'smds');
  mkdirSync(dir, { recursive: true });
  // The effective configuration, for `zkesim smds serve` run against this data directory.
  writeFileSync(stackSmdsConfigPath(options.dataDir), `${JSON.stringify(config, null, 2)}\n`);
  const logDestination = pino.destination({ dest: join(dir, 'smds.log'), sync: true, mkdir: true });
  const smds = await startSmdsServer(config, { logDestination, boundSockets: options.boundSockets });
  return {
    ...smds,
    close: async () => {
      await smds.close();
      logDestination.end();
    },
  };
}
