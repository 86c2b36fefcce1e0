// `npm run bench identity`: Semaphore v4 proof generation with the local artifacts at tree depths 16 and 20 (and
// the depth-1 proof a Subscriber call takes), off-chain verification, and on-chain verification gas: Semaphore's
// validateProof for the subscriber group, and Subscriber.executeWithProof (proof checks + the call). Times are
// wall clock on this machine and vary with its load; the benchmark reports them, no test asserts them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { fundedWallet, testProvider } from '@zkesim/testing/chain/nodes';
import { connectSemaphore, connectSubscriber } from '../src/generated/index.js';
import { startBundledNode } from '../src/node/bundledNode.js';
import {
  Group,
  SubscriberRegistry,
  createIdentity,
  deployIdentityContracts,
  deployWithSigner,
  generateIdentityProof,
  proveSubscriberCall,
  releaseProver,
  toSolidityProof,
  verifyIdentityProof,
  type SemaphoreProof,
} from '../src/identity/index.js';

const DEPTHS = [16, 20];
const PROOFS_PER_DEPTH = 3;
const VERIFICATIONS = 10;
const GROUP_SIZE = 100;

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

export default async function identityBench(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'zkesim-identity-bench-'));
  const node = await startBundledNode({ dataDir });
  const provider = testProvider(node.rpcUrl);
  try {
    const operator = await fundedWallet(provider, 10n ** 21n);
    const deployment = await deployIdentityContracts(deployWithSigner(operator), { admin: operator.address, operator: operator.address }, operator);
    const registry = new SubscriberRegistry(deployment.subscriberFactory, operator, deployment.blockNumber);
    const semaphore = connectSemaphore(deployment.semaphore, operator);
    const identities = Array.from({ length: GROUP_SIZE }, () => createIdentity());
    const onboarded = await registry.onboardMany(identities.map((identity) => ({ commitment: identity.commitment })));
    const group = new Group(identities.map((identity) => identity.commitment));
    const member = identities[7] ?? createIdentity();

    // The first proof loads the circuit and starts snarkjs's workers: it is reported apart.
    const warmUp = await timed(() => generateIdentityProof(member, group, 0n, 0n, { depth: DEPTHS[0] }));
    figures.push({ name: `proof generation: first proof (depth ${DEPTHS[0]}, cold)`, value: warmUp.ms, unit: 'ms' });
    const proofs: SemaphoreProof[] = [];
    for (const depth of DEPTHS) {
      let total = 0;
      for (let round = 1; round <= PROOFS_PER_DEPTH; round += 1) {
        const { result, ms } = await timed(() => generateIdentityProof(member, group, BigInt(depth * 100 + round), BigInt(depth), { depth }));
        total += ms;
        proofs.push(result);
      }
      figures.push({ name: `proof generation: tree depth ${depth}`, value: total / PROOFS_PER_DEPTH, unit: 'ms', note: `mean of ${PROOFS_PER_DEPTH}, group of ${GROUP_SIZE}` });
    }
    for (const proof of proofs.filter((_, index) => index % PROOFS_PER_DEPTH === 0)) {
      let total = 0;
      for (let round = 0; round < VERIFICATIONS; round += 1) {
        const { result, ms } = await timed(() => verifyIdentityProof(proof));
        if (!result) throw new Error('bench proof did not verify');
        total += ms;
      }
      figures.push({ name: `off-chain verification: depth ${proof.merkleTreeDepth}`, value: total / VERIFICATIONS, unit: 'ms', note: `mean of ${VERIFICATIONS}` });
    }
    for (const proof of proofs.filter((_, index) => index % PROOFS_PER_DEPTH === 0)) {
      const receipt = await (await semaphore.validateProof(BigInt(deployment.groupId), toSolidityProof(proof))).wait();
      figures.push({ name: `on-chain: Semaphore.validateProof, depth ${proof.merkleTreeDepth}`, value: Number(receipt?.gasUsed ?? 0n), unit: 'gas', note: 'tx incl. 21,000 base; stores the nullifier' });
    }
    const viewProof = proofs[0];
    if (viewProof !== undefined) {
      const data = semaphore.interface.encodeFunctionData('verifyProof', [BigInt(deployment.groupId), toSolidityProof(viewProof)]);
      // Sent as a transaction with ample gas rather than estimated: the verifier's pairing precompile fails softly
      // (returns false) when short of gas, so eth_estimateGas finds the cost of a refusal, not of a verification.
      const sent = await (await operator.sendTransaction({ to: deployment.semaphore, data, gasLimit: 1_000_000n })).wait();
      figures.push({ name: 'on-chain: Semaphore.verifyProof (view, sent as a tx)', value: Number(sent?.gasUsed ?? 0n), unit: 'gas', note: 'incl. 21,000 base; nothing stored' });
    }

    const subscriberAddress = onboarded[7]?.subscriber ?? '';
    await (await operator.sendTransaction({ to: subscriberAddress, value: 1_000n })).wait();
    const call = { target: Wallet.createRandom().address, value: 1n, data: '0x' };
    const chainId = (await provider.getNetwork()).chainId;
    const callProof = await timed(() => proveSubscriberCall(member, { chainId, subscriber: subscriberAddress, nonce: 0n, ...call }));
    figures.push({ name: 'proof generation: Subscriber call (depth 1)', value: callProof.ms, unit: 'ms' });
    const receipt = await (await connectSubscriber(subscriberAddress, operator).executeWithProof(call.target, call.value, call.data, toSolidityProof(callProof.result))).wait();
    figures.push({ name: 'on-chain: Subscriber.executeWithProof (1 wei transfer)', value: Number(receipt?.gasUsed ?? 0n), unit: 'gas', note: 'tx incl. 21,000 base, membership check, nonce write' });
    return figures;
  } finally {
    await releaseProver();
    provider.destroy();
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
