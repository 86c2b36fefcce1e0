// The stack of `zkesim start` (development PKI, SM-DP+ with ES9+ and ES2+, one eUICC served over TCP) in a
// temp data directory on ephemeral ports, with a movable SM-DP+ clock, plus helpers to place orders and to
// open an LPA on any card.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lpa, openCard, type LpaOptions } from '@zkesim/lpa-core';
import { iccidDigits, type ApduTransport, type SubscriberIdentityInput } from '@zkesim/protocol';
import { setOrderSubscriberIdentity } from '@zkesim/sm-dp-plus';
import { cancelOrder, placeOrder, startStack, type PlacedOrder, type RunningStack } from '@zkesim/apps';
import { afterAll, beforeAll } from 'vitest';

export interface TestStack {
  readonly stack: RunningStack;
  readonly dataDir: string;
  readonly ciPem: string;
  /**
   * Places an order over ES2+; with `subscriberIdentity`, gives the order that identity as the future
   * onboarding will (sm-dp-plus setOrderSubscriberIdentity), before anything binds it.
   */
  order(options: { eid: string; confirmationCode?: string; subscriberIdentity?: SubscriberIdentityInput; smdsAddress?: string }): Promise<PlacedOrder>;
  cancel(order: PlacedOrder & { eid: string }): Promise<void>;
  advanceClock(ms: number): void;
  openLpa(transport: ApduTransport, options?: Partial<LpaOptions>): Promise<Lpa>;
  /** Runs `body` with an LPA on the stack's own eUICC (over its TCP port), closing both after. */
  withStackLpa<T>(body: (lpa: Lpa) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Also the chain layer (bundled node, contracts, anchor outbox and worker, the onboarding API; the SM-DP+ anchors); default off. */
  readonly chain?: boolean;
  /** SMDP_* and CHAIN_* settings, as `npm start` takes them. */
  readonly environment?: Record<string, string>;
  /** Other SM-DSs the SM-DP+ reaches ES12 of at another address (StackOverrides.smdsPeers). */
  readonly smdsPeers?: readonly { address: string; es12Address: string }[];
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zkesim-e2e-'));
  let offset = 0;
  const errors: unknown[] = [];
  const stack = await startStack(
    {
      dataDir, es9Port: 0, es2Port: 0, euiccPort: 0, adminPort: 0, smdsPort: 0, smdsPeerPort: 0, plansPort: 0, portalPort: 0, operatorEs2Port: 0, smdpHost: 'localhost', demoProfileType: 'TS48V1-A-UNIQUE',
      chain: options.chain ?? false, environment: options.environment ?? {},
    },
    dataDir,
    (error) => errors.push(error),
    { clock: { now: () => Date.now() + offset }, ...(options.smdsPeers === undefined ? {} : { smdsPeers: options.smdsPeers }) },
  );
  const ciPem = new X509Certificate(readFileSync(stack.ciPem)).toString();
  const openLpa = (transport: ApduTransport, options: Partial<LpaOptions> = {}): Promise<Lpa> =>
    Lpa.open({ transport, https: { trustedCertificates: [ciPem], resolve: { localhost: '127.0.0.1' } }, ...options });
  return {
    stack,
    dataDir,
    ciPem,
    order: async ({ eid, confirmationCode, subscriberIdentity, smdsAddress }) => {
      const placed = await placeOrder(stack.es2, { profileType: 'TS48V1-A-UNIQUE', eid, ...(confirmationCode === undefined ? {} : { confirmationCode }), ...(smdsAddress === undefined ? {} : { smdsAddress }) });
      if (subscriberIdentity !== undefined) {
        await stack.smdp.repository.transaction((tx) => setOrderSubscriberIdentity(tx, iccidDigits(placed.iccid), subscriberIdentity));
      }
      return placed;
    },
    cancel: (order) => cancelOrder(stack.es2, order),
    advanceClock: (ms) => {
      offset += ms;
    },
    openLpa,
    withStackLpa: async (body) => {
      const card = await openCard({ kind: 'tcp', host: '127.0.0.1', port: stack.euicc.port });
      try {
        const lpa = await openLpa(card.transport);
        try {
          return await body(lpa);
        } finally {
          await lpa.close();
        }
      } finally {
        await card.close();
      }
    },
    close: async () => {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How long starting the stack may take in a beforeAll (PKI generation, two listeners, the eUICC). */
export const TEST_STACK_START_TIMEOUT_MS = 120_000;

/**
 * One test stack for the calling test file (or describe block): started in a beforeAll, closed in an
 * afterAll. The returned object reads through to the running stack, so it may be used in tests and in
 * hooks registered after this call; closing is the afterAll's.
 */
export function useTestStack(options: TestStackOptions = {}): Omit<TestStack, 'close'> {
  let started: TestStack | undefined;
  beforeAll(async () => {
    started = await startTestStack(options);
  }, TEST_STACK_START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  });
  const running = (): TestStack => {
    if (started === undefined) throw new Error('the test stack is not running (useTestStack starts it in beforeAll)');
    return started;
  };
  return {
    get stack() {
      return running().stack;
    },
    get dataDir() {
      return running().dataDir;
    },
    get ciPem() {
      return running().ciPem;
    },
    order: (options) => running().order(options),
    cancel: (order) => running().cancel(order),
    advanceClock: (ms) => running().advanceClock(ms),
    openLpa: (transport, options) => running().openLpa(transport, options),
    withStackLpa: (body) => running().withStackLpa(body),
  };
}
