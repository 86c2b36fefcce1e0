// The one typed configuration of `zkesim start`: defaults in code, then the
// environment. Everything works with no configuration at all.
import { resolve } from 'node:path';

export interface StackConfig {
  /** Where the PKI, the SM-DP+ database, the eUICC state and the LPA's files live. */
  readonly dataDir: string;
  /** Ports on 127.0.0.1; 0 picks a free one at start. */
  readonly es9Port: number;
  readonly es2Port: number;
  readonly euiccPort: number;
  /** The host name in the SM-DP+ address (must be in the DPtls certificate: localhost by default). */
  readonly smdpHost: string;
  /** Profile type of the demo order (a bundled TS.48 template). */
  readonly demoProfileType: string;
  /** Start the chain layer (bundled node, contracts); ZKESIM_CHAIN=off leaves it out. */
  readonly chain: boolean;
  /** CHAIN_* settings for the contracts package (an external node instead of the bundled one). */
  readonly chainEnvironment: Readonly<Record<string, string | undefined>>;
}

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new StackConfigError(`${name}: "${raw}" is not a port number (0-65535)`);
  return value;
}

export function stackConfigFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): StackConfig {
  const chain = env.ZKESIM_CHAIN ?? 'on';
  if (chain !== 'on' && chain !== 'off') throw new StackConfigError(`ZKESIM_CHAIN: "${chain}" must be on or off`);
  return {
    dataDir: resolve(cwd, env.ZKESIM_DATA_DIR ?? 'data'),
    es9Port: port(env, 'ZKESIM_ES9_PORT', 8443),
    es2Port: port(env, 'ZKESIM_ES2_PORT', 8444),
    euiccPort: port(env, 'ZKESIM_EUICC_PORT', 8445),
    smdpHost: 'localhost',
    demoProfileType: env.ZKESIM_DEMO_PROFILE_TYPE ?? 'TS48V1-A-UNIQUE',
    chain: chain === 'on',
    chainEnvironment: Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('CHAIN_'))),
  };
}
