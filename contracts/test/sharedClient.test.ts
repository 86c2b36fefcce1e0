// The stack shares one ChainClient between the anchor worker and the onboarding (one send lock for the account's
// nonces). The worker drops its chain after a failed pass and at stop; a shared client must survive that, or the
// onboarding's next transaction would fail on a destroyed provider.
import { afterAll, describe, expect, it } from 'vitest';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { createAnchorWorker, openAnchorOutbox, openChainStack } from '../src/chainService.js';
import { systemDeps } from '../src/deps.js';
import { removeDir, tempDir } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

describe('anchor worker on a shared ChainClient', () => {
  const dataDir = tempDir('shared-client');
  afterAll(() => removeDir(dataDir));

  it('anchors through the shared client and leaves it usable when it stops', async () => {
    const config = resolveChainConfig({});
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    const outbox = openAnchorOutbox(dataDir, Date.now);
    try {
      outbox.record(installResult(1));
      const worker = createAnchorWorker({
        outbox, dataDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps: systemDeps(),
        shared: { client: stack.client, deployment: stack.deployment },
      });
      expect((await worker.runOnce()).anchoredEvents).toBe(1);
      await worker.stop();
      expect(await stack.client.provider.getBlockNumber()).toBeGreaterThan(0);
    } finally {
      outbox.close();
      await stack.close();
    }
  });
});
