// The SIP part of `npm start`: Kamailio and the ZK verifier for the stack's subscriber group, when the chain layer
// runs and Kamailio is installed; otherwise a line saying why not (and how to install it). Its settings are the
// ZKESIM_SIP_* variables (ZKESIM_SIP_ENABLED, _PORT, _VERIFIER_PORT, _DOMAIN, _EPOCH_SECONDS).
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, nonEmptyText, port, positiveInteger, type ConfigSpec } from '@zkesim/config';
import type { PkiEntity } from '@zkesim/pki';
import { SIP_INSTALL_HINT, kamailioInstalled } from './kamailio/kamailioProcess.js';
import { startSipService, type SipService } from './service.js';
import { sippInstalled } from './subscriber/sippRunner.js';

const sipSchema = z.strictObject({
  /** ZKESIM_SIP_ENABLED=off leaves Kamailio and the verifier out. */
  enabled: z.boolean().default(true),
  /** Kamailio's SIP port (TCP, 127.0.0.1); 0 (default) picks a free one, which the banner shows. */
  port: port().default(0),
  /** The verifier's HTTPS port on 127.0.0.1 (only Kamailio calls it); 0 picks a free one. */
  verifierPort: port().default(0),
  /** The SIP domain of the pseudonymous addresses (RFC 6761 reserves .test). */
  domain: nonEmptyText().default('zkesim.test'),
  /** Length of a registration epoch: each subscriber has one address per domain and epoch. */
  epochSeconds: positiveInteger().default(86_400),
});

export const SIP_CONFIG: ConfigSpec<typeof sipSchema> = { component: 'sip', envPrefix: 'ZKESIM_SIP', schema: sipSchema };
export type SipConfig = z.output<typeof sipSchema>;

export interface StackSip {
  readonly service: SipService | undefined;
  readonly config: SipConfig;
  /** The banner lines: where the registrar is, or why it is not running. */
  readonly lines: string[];
  close(): Promise<void>;
}

export interface StackSipOptions {
  dataDir: string;
  cwd: string;
  env: Record<string, string | undefined>;
  ci: PkiEntity;
  ciPem: string;
  /** The chain layer's node and SubscriberFactory; undefined when the stack runs without a chain. */
  chain: { rpcUrl: string; registry: string } | undefined;
  /** Default: Debian's /usr/sbin/kamailio. */
  kamailioBinary?: string;
}

const off = (config: SipConfig, why: string): StackSip => ({ service: undefined, config, lines: [`  SIP           ${why}`], close: async () => undefined });

export async function startStackSip(options: StackSipOptions): Promise<StackSip> {
  const config = loadConfig(SIP_CONFIG, { cwd: options.cwd, env: options.env });
  if (!config.enabled) return off(config, 'off (ZKESIM_SIP_ENABLED=off)');
  if (options.chain === undefined) return off(config, 'off (needs the chain layer)');
  if (!kamailioInstalled(options.kamailioBinary)) return off(config, `not started: Kamailio is not installed (${SIP_INSTALL_HINT})`);
  let service: SipService;
  try {
    service = await startSipService({
      dir: join(options.dataDir, 'sip'),
      domain: config.domain,
      rpcUrl: options.chain.rpcUrl,
      registry: options.chain.registry,
      ci: options.ci,
      ciPem: options.ciPem,
      sipPort: config.port,
      verifierPort: config.verifierPort,
      verifier: { epochSeconds: config.epochSeconds },
      // Kamailio's errors reach the stack's stderr; the rest of its log stays in memory (SipService.kamailio.output()).
      kamailioLog: (line) => {
        if (/\b(ERROR|CRITICAL|ALERT|BUG):/.test(line)) process.stderr.write(`${line}\n`);
      },
      ...(options.kamailioBinary === undefined ? {} : { kamailioBinary: options.kamailioBinary }),
    });
  } catch (error) {
    // The RSP stack runs on without SIP; the banner says why it is missing.
    return off(config, `not started: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  return {
    service,
    config,
    lines: [
      `  SIP           registrar tcp:${service.registrar}   domain ${service.domain} (Kamailio; every REGISTER and INVITE carries a ZK proof)`,
      ...(service.registrarTls === undefined ? [] : [`                over TLS tls:${service.registrarTls} (certificate under the stack's CI)`]),
      `  ZK verifier   ${service.verifierUrl}   (asked by Kamailio; callees' media checks)`,
      ...(sippInstalled() ? [] : [`                sipp is not installed, \`zkesim lpa identity sip-*\` needs it (${SIP_INSTALL_HINT})`]),
    ],
    close: () => service.close(),
  };
}
