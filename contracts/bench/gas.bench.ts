// `npm run bench contracts`: gas per subscriber onboarding (one EIP-1167 clone plus the commitment's insertion into
// the Semaphore group) and per anchored download event (one batch of 1,000), measured on the bundled Anvil node
// from real transaction receipts.
import { ContractFactory, Wallet, ZeroAddress, getBytes, id, type ContractTransactionResponse } from 'ethers';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { fundedWallet, testProvider } from '@zkesim/testing/chain/nodes';
import { DownloadAnchorAbi, DownloadAnchorBytecode, connectDownloadAnchor, connectSubscriberFactory } from '../src/generated/index.js';
import { deployIdentityContracts, deployWithSigner } from '../src/identity/deployIdentity.js';
import { createIdentity, commitmentBytes32 } from '../src/identity/identity.js';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { startBundledNode } from '../src/node/bundledNode.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ONBOARDING_BATCHES = [10, 100];
const PREFILLED_MEMBERS = 1_000;
const ANCHOR_BATCH = 1_000;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error('bench transaction failed');
  return receipt.gasUsed;
}

function wallets(count: number): string[] {
  return Array.from({ length: count }, () => Wallet.createRandom().address);
}

function commitments(count: number): string[] {
  return Array.from({ length: count }, () => commitmentBytes32(createIdentity().commitment));
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
  const provider = testProvider(node.rpcUrl);
  try {
    const operator = await fundedWallet(provider, 10n ** 21n);
    const identity = await deployIdentityContracts(deployWithSigner(operator), { admin: operator.address, operator: operator.address }, operator);
    const factory = connectSubscriberFactory(identity.subscriberFactory, operator);
    const anchorDeployment = await new ContractFactory(DownloadAnchorAbi, DownloadAnchorBytecode, operator).deploy(operator.address, operator.address);
    const anchor = connectDownloadAnchor(await (await anchorDeployment.waitForDeployment()).getAddress(), operator);

    const zero = ZeroAddress;
    // The first insertions into an empty tree are cheaper than later ones (fewer levels to hash), so the group
    // is filled first: the figures are for a group of about PREFILLED_MEMBERS subscribers.
    for (let filled = 0; filled < PREFILLED_MEMBERS; filled += 100) {
      await gasOf(factory.onboardMany(commitments(100), Array.from({ length: 100 }, () => zero)));
    }
    const [single] = commitments(1);
    const singleGas = await gasOf(factory.onboard(single ?? '', zero));
    const [withWallet] = commitments(1);
    const singleWithWalletGas = await gasOf(factory.onboard(withWallet ?? '', wallets(1)[0] ?? zero));
    const batchGas: bigint[] = [];
    for (const size of ONBOARDING_BATCHES) batchGas.push(await gasOf(factory.onboardMany(commitments(size), wallets(size))));

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
      { name: 'onboarding: one onboard() tx, no wallet (clone + group insert)', value: Number(singleGas), unit: 'gas', note: `includes the 21,000 base cost; group of ~${PREFILLED_MEMBERS}` },
      { name: 'onboarding: one onboard() tx with a wallet', value: Number(singleWithWalletGas), unit: 'gas' },
      ...ONBOARDING_BATCHES.map((size, index) => ({
        name: `onboarding: per subscriber in onboardMany(${size})`,
        value: Number(batchGas[index] ?? 0n) / size,
        unit: 'gas',
        note: 'clone + wallet + one group insertion for the batch',
      })),
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
