// Starts the SM-DP+ of the stack: sm-dp-plus's own wiring (startSmdpServer) on a config built from the
// development PKI, with the bundled TS.48 inventory imported on first start.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultConfig, importProfiles, readTemplateFiles, startSmdpServer, validateConfig, type RunningSmdp, type SmdpConfig } from '@zkesim/sm-dp-plus';
import type { StackPki } from './developmentPki.js';

export type { RunningSmdp };
export type InstallResultListener = NonNullable<NonNullable<Parameters<typeof startSmdpServer>[1]>['hooks']>['onInstallResult'];

export interface SmdpOptions {
  readonly dataDir: string;
  readonly pki: StackPki;
  readonly address: string;
  readonly es9Port: number;
  readonly es2Port: number;
  readonly onInstallResult?: InstallResultListener;
  /** The SM-DP+'s clock (tests move it forward to expire orders); default the system clock. */
  readonly clock?: { now: () => number };
  /** The chain layer's folder, whose anchor outbox the SM-DP+ drains installation results into; none without a chain. */
  readonly anchorDirectory?: string;
}

export function stackSmdpConfig(options: SmdpOptions): SmdpConfig {
  const h = options.pki.nist;
  const config = defaultConfig(options.dataDir);
  config.address = options.address;
  config.host = '127.0.0.1';
  config.databasePath = join(options.dataDir, 'smdp', 'smdp.db');
  config.es9 = [{ port: options.es9Port, tlsCertificate: h.dptls.certificatePath, tlsKey: h.dptls.keyPath }];
  config.credentials = [
    {
      ciCertificate: h.ci.certificatePath,
      dpAuthCertificate: h.dpauth.certificatePath,
      dpAuthKey: h.dpauth.keyPath,
      dpPbCertificate: h.dppb.certificatePath,
      dpPbKey: h.dppb.keyPath,
    },
  ];
  config.crls = [h.crlPath];
  config.es2 = { mode: 'port', port: options.es2Port, operators: [{ operatorId: 'operator', caCertificate: h.ci.certificatePath }], callbackCa: [] };
  config.profilesPerTemplate = 10;
  config.logLevel = 'info';
  config.metrics = false;
  config.anchor = { enabled: options.anchorDirectory !== undefined, outboxDirectory: options.anchorDirectory ?? join(options.dataDir, 'chain') };
  return validateConfig(config);
}

export async function startStackSmdp(options: SmdpOptions): Promise<RunningSmdp> {
  const config = stackSmdpConfig(options);
  mkdirSync(join(options.dataDir, 'smdp'), { recursive: true });
  // The SM-DP+'s JSON log goes to a file, so the terminal shows only what the user needs.
  const logDestination = pino.destination({ dest: join(options.dataDir, 'smdp', 'smdp.log'), sync: true, mkdir: true });
  const smdp = await startSmdpServer(config, {
    logDestination,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onInstallResult === undefined ? {} : { hooks: { onInstallResult: options.onInstallResult } }),
  });
  const available = await smdp.repository.transaction((tx) => tx.countProfiles('available'));
  if (available === 0) {
    const random = { bytes: (length: number) => new Uint8Array(randomBytes(length)) };
    const clock = options.clock ?? { now: () => Date.now() };
    await importProfiles({ repository: smdp.repository, random, clock }, readTemplateFiles(config.profilesDirectory), config.profilesPerTemplate);
  }
  const close = smdp.close;
  return {
    ...smdp,
    close: async () => {
      await close();
      logDestination.end();
    },
  };
}
