// Starts the SM-DP+ of the stack: sm-dp-plus's own wiring (startSmdpServer) on a config built from the
// development PKI (SMDP_* variables on top), with the bundled TS.48 inventory imported on first start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { stackPaths, type Environment } from '@zkesim/config';
import type { BoundSockets } from '@zkesim/rsp-server';
import {
  BUNDLED_PROFILES_DIRECTORY, importProfiles, loadConfig, readTemplateFiles, startSmdpServer, type RunningSmdp, type SmdpConfig, type SubscriberChain,
} from '@zkesim/sm-dp-plus';
import type { StackPki } from './developmentPki.js';

export type { RunningSmdp };
export type InstallResultListener = NonNullable<NonNullable<Parameters<typeof startSmdpServer>[1]>['hooks']>['onInstallResult'];

export interface SmdpOptions {
  readonly dataDir: string;
  readonly pki: StackPki;
  readonly address: string;
  readonly es9Port: number;
  /** Sockets bound before this configuration named their ports (stackPorts.ts), served, not bound again. */
  readonly boundSockets?: BoundSockets;
  readonly es2Port: number;
  /** The admin listener's port (/healthz, /metrics) on 127.0.0.1. */
  readonly adminPort: number;
  readonly onInstallResult?: InstallResultListener;
  /** The SM-DP+'s clock (tests move it forward to expire orders); default the system clock. */
  readonly clock?: { now: () => number };
  /** The chain layer's folder, whose anchor outbox the SM-DP+ drains installation results into; none without a chain. */
  readonly anchorDirectory?: string;
  /** SMDP_CONFIG and SMDP_* variables applied over the stack's choices (none by default). */
  readonly environment?: Environment;
  /** Relative paths in `environment` are relative to this folder (default: the working directory). */
  readonly cwd?: string;
  /** The operator's ES2+ receiver: where HandleDownloadProgressInfo for its orders goes (SGP.22 §5.3.5). */
  readonly operatorCallbackUrl?: string;
  /** The chain the operator onboarding API onboards subscribers on; without it the API is not served. */
  readonly subscribers?: SubscriberChain;
  /** SM-DSs whose ES12 is on another port than their address (the stack's SM-DS). */
  readonly smdsPeers?: readonly { address: string; es12Address: string }[];
}

/** The onboarding's link store and the key of its KYC reference hash (32 random bytes, 0600, made on first start). */
export function onboardingFiles(dataDir: string): { storePath: string; keyPath: string } {
  const smdp = stackPaths(dataDir).smdp;
  return { storePath: join(smdp, 'onboarding.db'), keyPath: join(smdp, 'onboarding-reference.key') };
}

function onboardingReferenceKey(keyPath: string): Uint8Array {
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = new Uint8Array(readFileSync(keyPath));
  if (key.length !== 32) throw new Error(`${keyPath}: the onboarding reference key must be 32 bytes`);
  return key;
}

/**
 * The SM-DP+ configuration of the stack: the stack's own choices (development PKI, ports, address, database
 * and anchor outbox under the data directory) as values set in code, with SMDP_CONFIG and SMDP_* of
 * `options.environment` on top, through the same loader as `zkesim smdp serve`.
 */
export function stackSmdpConfig(options: SmdpOptions): SmdpConfig {
  const h = options.pki.nist;
  const paths = stackPaths(options.dataDir);
  const values = {
    address: options.address,
    host: '127.0.0.1',
    storage: { kind: 'sqlite', path: join(paths.smdp, 'smdp.db') },
    es9: [{ port: options.es9Port, tlsCertificate: h.dptls.certificatePath, tlsKey: h.dptls.keyPath }],
    credentials: [
      {
        ciCertificate: h.ci.certificatePath,
        dpAuthCertificate: h.dpauth.certificatePath,
        dpAuthKey: h.dpauth.keyPath,
        dpPbCertificate: h.dppb.certificatePath,
        dpPbKey: h.dppb.keyPath,
      },
    ],
    crls: [h.crlPath],
    smdsPeers: options.smdsPeers ?? [],
    es2: {
      mode: 'port',
      port: options.es2Port,
      // The development CI also issues DPtls, DPauth, DPpb and DSauth/DStls: the operator is its own certificate.
      operators: [
        {
          operatorId: 'operator',
          pinnedCertificates: [h['operator-client'].certificatePath],
          // Its issuer, which the TLS handshake verifies it against (SGP.22 §2.6.6).
          pinnedIssuers: [h.ci.certificatePath],
          ...(options.operatorCallbackUrl === undefined ? {} : { callbackUrl: options.operatorCallbackUrl }),
        },
      ],
      // SGP.22 §2.6.6: the DPtls certificate is also the SM-DP+'s TLS client certificate.
      clientCertificate: h.dptls.certificatePath,
      clientKey: h.dptls.keyPath,
      // The stack's SM-DS (ES12) has a DStls certificate from the same CI.
      callbackCa: [h.ci.certificatePath],
    },
    admin: { host: '127.0.0.1', port: options.adminPort },
    profilesDirectory: BUNDLED_PROFILES_DIRECTORY,
    profilesPerTemplate: 10,
    logLevel: 'info',
    // /metrics on the admin listener (the operator portal's Health page reads the outbox backlog there).
    metrics: true,
    anchor: { enabled: options.anchorDirectory !== undefined, outboxDirectory: options.anchorDirectory ?? paths.chain },
  };
  return loadConfig({ dataDir: options.dataDir, env: options.environment ?? {}, base: { values, source: 'zkesim start' }, cwd: options.cwd ?? process.cwd() });
}

export async function startStackSmdp(options: SmdpOptions): Promise<RunningSmdp> {
  const config = stackSmdpConfig(options);
  const paths = stackPaths(options.dataDir);
  mkdirSync(paths.smdp, { recursive: true, mode: 0o700 });
  // The effective configuration, for `zkesim smdp …` commands run against this data directory.
  writeFileSync(paths.smdpConfig, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The SM-DP+'s JSON log goes to a file (0600), so the terminal shows only what the user needs.
  const logDestination = pino.destination({ dest: join(paths.smdp, 'smdp.log'), sync: true, mkdir: true, mode: 0o600 });
  const smdp = await startSmdpServer(config, {
    logDestination,
    boundSockets: options.boundSockets,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onInstallResult === undefined ? {} : { hooks: { onInstallResult: options.onInstallResult } }),
    ...(options.subscribers === undefined
      ? {}
      : {
          onboarding: {
            chain: options.subscribers,
            storePath: onboardingFiles(options.dataDir).storePath,
            referenceKey: onboardingReferenceKey(onboardingFiles(options.dataDir).keyPath),
          },
        }),
  });
  const available = await smdp.repository.transaction((tx) => tx.countProfiles('available'));
  if (available === 0) {
    const random = { bytes: (length: number) => new Uint8Array(randomBytes(length)) };
    const clock = options.clock ?? { now: () => Date.now() };
    await importProfiles({ repository: smdp.repository, random, clock }, readTemplateFiles(config.profilesDirectory ?? BUNDLED_PROFILES_DIRECTORY), config.profilesPerTemplate);
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
