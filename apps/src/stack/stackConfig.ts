// The one typed configuration of `zkesim start`: the schema's defaults, then the environment (ZKESIM_*), through
// the shared loader of @zkesim/config. Everything works with no configuration at all. The data directory is
// found the way every command finds it (stackDataDir: ZKESIM_DATA_DIR or ./data); the stack's SM-DP+ and chain
// apply SMDP_* and CHAIN_* over the stack's own choices.
import { z } from 'zod';
import { loadConfig, nonEmptyText, port, stackDataDir, type ConfigSpec, type Environment } from '@zkesim/config';

const stackSchema = z.strictObject({
  /** Ports on 127.0.0.1; 0 picks a free one at start. */
  es9Port: port().default(8443),
  es2Port: port().default(8444),
  euiccPort: port().default(8445),
  /** The SM-DP+'s admin listener (/healthz, /metrics), plain HTTP on 127.0.0.1. */
  adminPort: port().default(8446),
  /** The SM-DS beside the SM-DP+ (ES11 for the LPA); it is the eUICC's root SM-DS. */
  smdsPort: port().default(8447),
  /** The same SM-DS's ES12/ES15 port (mutual TLS at the handshake), where the SM-DP+ registers events. */
  smdsPeerPort: port().default(8452),
  /** The operator component's plans API (HTTPS, the LUI reads plans from it). */
  plansPort: port().default(8450),
  /** The operator portal (staff web application of the operator component), HTTPS on 127.0.0.1. */
  portalPort: port().default(8449),
  /** The operator component's ES2+ receiver (HandleDownloadProgressInfo from the SM-DP+), mutual TLS on 127.0.0.1. */
  operatorEs2Port: port().default(8451),
  /** Profile type of the demo order (a bundled TS.48 template). */
  demoProfileType: nonEmptyText().default('TS48V1-A-UNIQUE'),
  /** Start the chain layer (bundled node, contracts); ZKESIM_CHAIN=off leaves it out. */
  chain: z.boolean().default(true),
});

export const STACK_CONFIG: ConfigSpec<typeof stackSchema> = { component: 'stack', envPrefix: 'ZKESIM', schema: stackSchema };

export type StackConfig = z.output<typeof stackSchema> & {
  /** Where the PKI, the SM-DP+ database, the eUICC state and the LPA's files live. */
  readonly dataDir: string;
  /** The host name in the SM-DP+ address (must be in the DPtls certificate: localhost). */
  readonly smdpHost: string;
  /** SMDP_*, SMDS_*, CHAIN_* and ZKESIM_SIP_* variables, applied over the stack's own SM-DP+, SM-DS, chain and SIP settings. */
  readonly environment: Environment;
};

export function stackConfigFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): StackConfig {
  return {
    ...loadConfig(STACK_CONFIG, { cwd, env }),
    dataDir: stackDataDir(env, cwd),
    smdpHost: 'localhost',
    environment: Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('SMDP_') || key.startsWith('SMDS_') || key.startsWith('CHAIN_') || key.startsWith('ZKESIM_SIP_'))),
  };
}
