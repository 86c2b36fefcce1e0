// Typed configuration of the chain client: a schema with the defaults in it, then values set in code, then
// environment variables `CHAIN_*`, through the shared loader of @zkesim/config; validated once, the error names
// the bad key and where it was set. Only adapters call `chainConfigFromEnvironment`; the client itself takes the
// typed object.
import { z } from 'zod';
import { loadConfig, positiveInteger, type ConfigSpec, type Environment } from '@zkesim/config';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * How the JSON-RPC node authenticates clients. Secrets never reach a log line (see `describeRpc`). `kind` may be
 * left out: a token means bearer, a user name basic.
 */
const authSchema = z
  .preprocess(
    (value, context) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || 'kind' in value) return value;
      const fields = value as Record<string, unknown>;
      if (fields.token !== undefined && fields.username !== undefined) {
        context.addIssue({ code: 'custom', message: 'a bearer token and a user name are exclusive', input: value });
        return value;
      }
      return { kind: fields.token !== undefined ? 'bearer' : fields.username !== undefined ? 'basic' : 'none', ...fields };
    },
    z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('none') }),
      z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1) }),
      z.strictObject({
        kind: z.literal('basic'),
        username: z.string().min(1),
        password: z.string({ error: (issue) => (issue.input === undefined ? 'required with a user name' : undefined) }),
      }),
    ]),
  )
  .prefault({});

const chainSchema = z.strictObject({
  /** JSON-RPC URL; unset means "run the bundled node". */
  rpcUrl: z.string().refine(isHttpUrl, 'must be an http(s) URL').optional(),
  auth: authSchema,
  /** Hex private key of the operator's chain account; unset with the bundled node (one is generated). */
  privateKey: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x followed by 64 hex digits')
    .optional(),
  /** Blocks on top of (and including) the anchoring block before a batch counts as final. */
  // The bundled node is a single-authority dev chain that does not reorganise (a root lost with a crash of it is
  // anchored again: AnchorWorker re-checks anchored roots); public networks need more.
  confirmations: positiveInteger().default(1),
  /** Largest number of events in one anchored batch. */
  maxBatchSize: positiveInteger().default(1_000),
  /** How often the anchor worker looks for work, in ms. */
  anchorIntervalMs: positiveInteger().default(5_000),
  /** How long to wait for a transaction to be mined before bumping its fees, in ms. */
  feeBumpAfterMs: positiveInteger().default(15_000),
  /** Fee bumps before giving up on a transaction (it is retried on the next worker pass). */
  maxFeeBumps: positiveInteger().default(5),
  /** Timeout of one JSON-RPC request, in ms. */
  requestTimeoutMs: positiveInteger().default(10_000),
});

/**
 * CHAIN_ + the key in upper snake case (CHAIN_RPC_URL, CHAIN_PRIVATE_KEY, CHAIN_CONFIRMATIONS, …); the
 * credentials also as CHAIN_RPC_BEARER_TOKEN, or CHAIN_RPC_USERNAME + CHAIN_RPC_PASSWORD.
 */
export const CHAIN_CONFIG: ConfigSpec<typeof chainSchema> = {
  component: 'chain',
  envPrefix: 'CHAIN',
  schema: chainSchema,
  aliases: { rpcBearerToken: 'auth.token', rpcUsername: 'auth.username', rpcPassword: 'auth.password' },
};

export type ChainConfig = z.output<typeof chainSchema>;
export type RpcAuth = ChainConfig['auth'];

export const DEFAULT_CHAIN_CONFIG: ChainConfig = loadConfig(CHAIN_CONFIG, { cwd: '.' });

/** Merges a partial config (e.g. set in code) over the defaults and validates it. */
export function resolveChainConfig(partial: Partial<ChainConfig> = {}): ChainConfig {
  return loadConfig(CHAIN_CONFIG, { cwd: process.cwd(), base: { values: partial, source: 'code' } });
}

/** Applies the CHAIN_* variables of `env` over `base` (and the defaults) and validates the result. */
export function chainConfigFromEnvironment(env: Environment, base: Partial<ChainConfig> = {}): ChainConfig {
  return loadConfig(CHAIN_CONFIG, { cwd: process.cwd(), base: { values: base, source: 'code' }, env });
}
