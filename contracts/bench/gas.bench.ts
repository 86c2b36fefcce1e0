// `npm run bench contracts`: gas per subscriber onboarding (one EIP-1167 clone) and per anchored download
// event (one batch of 1,000), measured on the bundled Anvil node from real transaction receipts.
import { ContractFactory, Wallet, getBytes, id, JsonRpcProvider, toQuantity, type ContractTransactionResponse } from 'ethers';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import {
  DownloadAnchorAbi,
  DownloadAnchorBytecode,
  SubscriberFactoryAbi,
  SubscriberFactoryBytecode,
  connectDownloadAnchor,
  connectSubscriberFactory,
} from '../src/generated/index.js';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { startBundledNode } from '../src/node/bundledNode.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ONBOARDING_BATCH = 100;
const ANCHOR_BATCH = 1_000;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error('bench transaction failed');
  return receipt.gasUsed;
}

function wallets(count: number): string[] {
  return Array.from({ length: count }, () => Wallet.createRandom().address);
}

function syntheticEvent(index: number): Parameters<AnchorOutbox['record']>[0] {
  return {
    transactionId: getBytes(id(`bench ${index}`)).slice(0, 16),
    subscriber: { identityCommitment: getBytes(id(`bench commitment ${index}`)) },
    profileType: 'Operator-Consumer',
    result: { kind: 'successResult' },
    occurredAt: 1_790_000_000_000 + index,
  };
}

export default async function gasBench(): Promise<BenchFigure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zkesim-gas-'));
  const node = await startBundledNode({ dataDir });
  const provider = new JsonRpcProvider(node.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  try {
    const operator = new Wallet(Wallet.createRandom().privateKey, provider);
    await provider.send('anvil_setBalance', [operator.address, toQuantity(10n ** 21n)]);
    const factoryDeployment = await new ContractFactory(SubscriberFactoryAbi, SubscriberFactoryBytecode, operator).deploy(operator.address, operator.address);
    const factory = connectSubscriberFactory(await (await factoryDeployment.waitForDeployment()).getAddress(), operator);
    const anchorDeployment = await new ContractFactory(DownloadAnchorAbi, DownloadAnchorBytecode, operator).deploy(operator.address, operator.address);
    const anchor = connectDownloadAnchor(await (await anchorDeployment.waitForDeployment()).getAddress(), operator);

    const zero = `0x${'00'.repeat(32)}`;
    const [single] = wallets(1);
    const singleGas = await gasOf(factory.createSubscriber(single ?? '', zero));
    const [withCommitment] = wallets(1);
    const singleWithCommitmentGas = await gasOf(factory.createSubscriber(withCommitment ?? '', id('commitment')));
    const batchOwners = wallets(ONBOARDING_BATCH);
    const batchGas = await gasOf(factory.createSubscribers(batchOwners, batchOwners.map(() => zero)));

    const outbox = new AnchorOutbox(':memory:');
    for (let index = 0; index < ANCHOR_BATCH; index += 1) outbox.record(syntheticEvent(index));
    const batchStarted = performance.now();
    const batch = outbox.createBatch(ANCHOR_BATCH);
    const batchBuildMs = performance.now() - batchStarted;
    if (batch === undefined) throw new Error('no batch');
    const firstAnchorGas = await gasOf(anchor.anchor(batch.root, batch.leafCount));
    // Later batches no longer pay for the batch counter's first write: that is the steady state.
    const anchorGas = await gasOf(anchor.anchor(id('a second batch'), ANCHOR_BATCH));
    outbox.close();

    const durable = new AnchorOutbox(join(dataDir, 'bench-outbox.sqlite'));
    const recordStarted = performance.now();
    for (let index = 0; index < 200; index += 1) durable.record(syntheticEvent(index));
    const recordMs = (performance.now() - recordStarted) / 200;
    durable.close();

    return [
      { name: 'onboarding: one createSubscriber tx (clone, no commitment)', value: Number(singleGas), unit: 'gas', note: 'includes the 21,000 base cost of a transaction' },
      { name: 'onboarding: one createSubscriber tx with commitment', value: Number(singleWithCommitmentGas), unit: 'gas' },
      { name: `onboarding: per subscriber in createSubscribers(${ONBOARDING_BATCH})`, value: Number(batchGas) / ONBOARDING_BATCH, unit: 'gas', note: 'aim < 60,000' },
      { name: `anchoring: first anchor() tx, batch of ${ANCHOR_BATCH}`, value: Number(firstAnchorGas), unit: 'gas' },
      { name: `anchoring: later anchor() tx, batch of ${ANCHOR_BATCH}`, value: Number(anchorGas), unit: 'gas' },
      { name: `anchoring: per anchored event (batch of ${ANCHOR_BATCH})`, value: Number(anchorGas) / ANCHOR_BATCH, unit: 'gas', note: 'aim < 1,000' },
      { name: `anchoring: build tree + proofs for ${ANCHOR_BATCH} events`, value: batchBuildMs, unit: 'ms' },
      { name: 'outbox: record() one event (SQLite WAL, synchronous=FULL)', value: recordMs, unit: 'ms' },
    ];
  } finally {
    provider.destroy();
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
