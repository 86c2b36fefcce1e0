// The operator component of the stack, run as a service beside ours (apps/src/operator): its KYC store and
// portal database under <dataDir>/operator, the staff portal on its own HTTPS port, and the ES2+ receiver the
// SM-DP+ sends HandleDownloadProgressInfo to. It reaches our services only through their interfaces: the
// onboarding and operator API (mutual TLS, the operator's certificate), the SM-DP+'s loopback admin listener,
// the SM-DS's port and the chain's JSON-RPC.
// Both of its ports use the operator component's own web server certificate (operator/serverTls.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { stackPaths } from '@zkesim/config';
import { es2plusFunctions } from '@zkesim/protocol';
import { createLogger, type BoundSockets } from '@zkesim/rsp-server';
import { BUNDLED_PROFILES_DIRECTORY, type RunningSmdp } from '@zkesim/sm-dp-plus';
import { ensureOperatorServerTls } from '../operator/serverTls.js';
import { startOperatorService, type RunningOperatorService } from '../operator/portal/operatorService.js';
import type { RunningChain } from './chain.js';
import type { StackPki } from './developmentPki.js';
import type { Es2ClientOptions } from './es2Client.js';
import type { StackConfig } from './stackConfig.js';

export type { RunningOperatorService };

/** Where the SM-DP+ delivers the operator's ES2+ callbacks (an address in the TLS certificate). */
export function operatorCallbackUrl(port: number): string {
  return `https://127.0.0.1:${port}${es2plusFunctions.handleDownloadProgressInfo.path}`;
}

/** The bundled TS.48 templates' profile types (the files' names), which the portal offers. */
export function bundledProfileTypes(): string[] {
  return readdirSync(BUNDLED_PROFILES_DIRECTORY).filter((name) => name.endsWith('.der')).map((name) => name.slice(0, -'.der'.length)).sort();
}

export async function startStackOperator(options: {
  config: StackConfig;
  pki: StackPki;
  es2: Es2ClientOptions;
  smdp: RunningSmdp;
  smdsPort: number;
  operatorEs2Port: number;
  /** The receiver's socket when it was bound before the SM-DP+ was given its URL (stackPorts.ts). */
  boundSockets?: BoundSockets;
  chain: RunningChain | undefined;
}): Promise<RunningOperatorService> {
  const folder = stackPaths(options.config.dataDir).operator;
  const h = options.pki.nist;
  const { es2 } = options;
  const logger = createLogger('operator', 'info', pino.destination({ dest: join(folder, 'operator.log'), sync: true, mkdir: true, mode: 0o600 }));
  return startOperatorService(
    {
      folder,
      component: { api: { url: es2.url, servername: es2.servername, ca: es2.ca, cert: es2.cert, key: es2.key }, serviceDataDir: options.config.dataDir },
      host: '127.0.0.1',
      portalPort: options.config.portalPort,
      receiverPort: options.operatorEs2Port,
      boundSockets: options.boundSockets,
      tls: ensureOperatorServerTls(folder, h.ci),
      // SGP.22 §2.6.6: the SM-DP+ calls ES2+ functions of the operator with its DPtls certificate.
      smdpClientCertificate: h.dptls.certificatePath,
      smdpClientCertificateIssuers: [h.ci.certificatePath],
      links: {
        ...(options.smdp.adminUrl === undefined ? {} : { smdpAdminUrl: options.smdp.adminUrl }),
        smdsUrl: `https://${options.config.smdpHost}:${options.smdsPort}`,
        ...(options.chain === undefined ? {} : { chain: { rpcUrl: options.chain.rpcUrl, downloadAnchor: options.chain.downloadAnchor } }),
      },
      profileTypes: bundledProfileTypes(),
      logger,
    },
    { demoAdmin: true },
  );
}
