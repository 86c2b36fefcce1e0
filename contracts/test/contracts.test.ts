// Contract behaviour on two different JSON-RPC nodes (Anvil and Hardhat's EDR node): clone deployment and
// ownership, only-owner enforcement, batch anchoring, inclusion proofs accepted and forged ones rejected,
// and the events each state change emits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { Wallet, getBytes, id, type ContractTransactionResponse, type JsonRpcProvider, type Log } from 'ethers';
import {
  connectDownloadAnchor,
  deployDownloadAnchor,
  connectSemaphore,
  connectSubscriber,
  connectSubscriberFactory,
  type DownloadAnchorContract,
  type SubscriberFactoryContract,
} from '../src/generated/index.js';
import {
  anchorRecordOf, eventRecordArgument, recordLeafHash, recordValues, RECORD_ENCODING, type InstallResultEvent,
} from '../src/anchor/anchorRecord.js';
import { deployIdentityContracts, deployWithSigner } from '../src/identity/deployIdentity.js';
import { NODE_KINDS, fundedWallet, startTestNode, testProvider, removeDir, type TestNode } from '@zkesim/testing/chain/nodes';

async function mined(tx: Promise<ContractTransactionResponse>): Promise<readonly Log[]> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error('transaction failed');
  return receipt.logs;
}

function installEvent(index: number): InstallResultEvent {
  return {
    transactionId: getBytes(id(`transaction ${index}`)).slice(0, 16),
    subscriber: { identityCommitment: getBytes(id(`subscriber ${index}`)) },
    profileType: index % 2 === 0 ? 'Operator-Consumer' : 'Operator-IoT',
    result: index % 5 === 0 ? { kind: 'errorResult', bppCommandId: 5, errorReason: 12 } : { kind: 'successResult' },
    occurredAt: 1_790_000_000_000 + index * 1000,
  };
}

/** A bytes32 commitment inside the SNARK field (Semaphore refuses larger leaves). */
function fieldCommitment(label: string): string {
  return `0x00${id(label).slice(4)}`;
}

describe.each(NODE_KINDS)('contracts on %s', (kind) => {
  let node: TestNode;
  let provider: JsonRpcProvider;
  let operator: Wallet;
  let subscriberWallet: Wallet;
  let stranger: Wallet;
  let factory: SubscriberFactoryContract;
  let anchor: DownloadAnchorContract;

  beforeAll(async () => {
    node = await startTestNode(kind);
    provider = testProvider(node.rpcUrl);
    [operator, subscriberWallet, stranger] = await Promise.all([fundedWallet(provider), fundedWallet(provider), fundedWallet(provider)]);
    const identity = await deployIdentityContracts(deployWithSigner(operator), { admin: operator.address, operator: operator.address }, operator);
    factory = connectSubscriberFactory(identity.subscriberFactory, operator);
    anchor = await deployDownloadAnchor(operator, operator.address, operator.address);
  });

  afterAll(async () => {
    provider?.destroy();
    await node?.stop();
    if (node) removeDir(node.dataDir);
  });

  it('onboards a subscriber as an EIP-1167 clone holding owner, operator and commitment, with events', async () => {
    const commitment = fieldCommitment('identity commitment');
    const predicted = await factory.subscriberAddress(commitment, subscriberWallet.address, operator.address);
    const logs = await mined(factory.onboard(commitment, subscriberWallet.address));
    const created = logs.map((log) => factory.interface.parseLog(log)).find((parsed) => parsed?.name === 'SubscriberCreated');
    expect(created?.args.subscriber).toBe(predicted);
    expect(created?.args.owner).toBe(subscriberWallet.address);
    expect(created?.args.operator).toBe(operator.address);

    const code = await provider.getCode(predicted);
    const implementation = (await factory.implementation()).slice(2).toLowerCase();
    // EIP-1167 runtime code, then the immutable arguments owner ‖ operator ‖ commitment.
    expect(code).toBe(
      `0x363d3d373d3d3d363d73${implementation}5af43d82803e903d91602b57fd5bf3${subscriberWallet.address.slice(2).toLowerCase()}${operator.address.slice(2).toLowerCase()}${commitment.slice(2)}`,
    );
    const subscriber = connectSubscriber(predicted, provider);
    expect(await subscriber.owner()).toBe(subscriberWallet.address);
    expect(await subscriber.operator()).toBe(operator.address);
    expect(await subscriber.factory()).toBe(await factory.getAddress());
    expect(await subscriber.identityCommitment()).toBe(commitment);
    expect(created?.args.commitment).toBe(commitment);
    const semaphore = connectSemaphore(await factory.semaphore(), provider);
    expect(await semaphore.hasMember(await factory.groupId(), BigInt(commitment))).toBe(true);
  });

  it('refuses onboarding by a non-operator and a second contract for the same commitment', async () => {
    const asStranger = connectSubscriberFactory(await factory.getAddress(), stranger);
    await expect(asStranger.onboard(fieldCommitment('x'), stranger.address)).rejects.toThrow(/AccessControlUnauthorizedAccount|0xe2517d3f/);
    // The same commitment with another wallet would be a second member with the same leaf: Semaphore refuses it.
    await expect(factory.onboard(fieldCommitment('identity commitment'), stranger.address)).rejects.toThrow();
  });

  it('executes calls only for its owner, and follows an ownership transfer', async () => {
    const owner = await fundedWallet(provider);
    const newOwner = await fundedWallet(provider);
    await mined(factory.onboard(fieldCommitment('transfer'), owner.address));
    const address = await factory.subscriberAddress(fieldCommitment('transfer'), owner.address, operator.address);
    const asStranger = connectSubscriber(address, stranger);
    const call = anchor.interface.encodeFunctionData('batchCount');
    await expect(asStranger.execute(await anchor.getAddress(), 0, call)).rejects.toThrow(/OwnableUnauthorizedAccount|0x118cdaa7/);

    const asOwner = connectSubscriber(address, owner);
    const executed = (await mined(asOwner.execute(await anchor.getAddress(), 0, call))).map((log) => asOwner.interface.parseLog(log));
    expect(executed.find((parsed) => parsed?.name === 'Executed')?.args.selector).toBe(call.slice(0, 10));

    const transfer = (await mined(asOwner.transferOwnership(newOwner.address))).map((log) => asOwner.interface.parseLog(log));
    expect(transfer.find((parsed) => parsed?.name === 'OwnershipTransferred')?.args.toObject()).toEqual({
      previousOwner: owner.address,
      newOwner: newOwner.address,
    });
    expect(await asOwner.owner()).toBe(newOwner.address);
    await expect(asOwner.execute(await anchor.getAddress(), 0, call)).rejects.toThrow(/OwnableUnauthorizedAccount|0x118cdaa7/);
    await mined(connectSubscriber(address, newOwner).execute(await anchor.getAddress(), 0, call));
    // The commitment is part of the clone's code: nobody changes it.
    expect(await asOwner.identityCommitment()).toBe(fieldCommitment('transfer'));
  });

  it('holds and forwards native currency for its owner only, with events, and the bare implementation refuses to act', async () => {
    const owner = await fundedWallet(provider);
    await mined(factory.onboard(fieldCommitment('currency'), owner.address));
    const address = await factory.subscriberAddress(fieldCommitment('currency'), owner.address, operator.address);
    const subscriber = connectSubscriber(address, owner);
    const deposit = await (await stranger.sendTransaction({ to: address, value: 1_000n })).wait();
    const received = deposit?.logs.map((log) => subscriber.interface.parseLog(log)).find((parsed) => parsed?.name === 'Received');
    expect(received?.args.toObject()).toEqual({ from: stranger.address, amount: 1_000n });
    const payee = Wallet.createRandom().address;
    await mined(subscriber.execute(payee, 400n, '0x'));
    expect(await provider.getBalance(payee)).toBe(400n);
    expect(await provider.getBalance(address)).toBe(600n);
    const implementation = connectSubscriber(await factory.implementation(), owner);
    await expect(implementation.owner()).rejects.toThrow(/NotAClone|0x/);
  });

  it('anchors a batch root once, proves inclusion of each record, and rejects forged proofs', async () => {
    const records = Array.from({ length: 64 }, (_, index) => anchorRecordOf(installEvent(index)));
    const tree = StandardMerkleTree.of(records.map(recordValues), RECORD_ENCODING);
    const logs = await mined(anchor.anchor(tree.root, records.length));
    const anchored = logs.map((log) => anchor.interface.parseLog(log)).find((parsed) => parsed?.name === 'RootAnchored');
    expect(anchored?.args.root).toBe(tree.root);
    expect(anchored?.args.leafCount).toBe(64n);
    expect(anchored?.args.anchorer).toBe(operator.address);
    expect((await anchor.batchOf(tree.root)).batchNumber).toBeGreaterThan(0n);

    for (const index of [0, 5, 31, 63]) {
      const record = records[index];
      if (record === undefined) throw new Error('missing record');
      const values = recordValues(record);
      const proof = tree.getProof(index);
      const onChainRecord = eventRecordArgument(record);
      expect(await anchor.leafHash(onChainRecord)).toBe(tree.leafHash(values));
      expect(recordLeafHash(record)).toBe(tree.leafHash(values));
      expect(await anchor.verifyRecord(tree.root, proof, onChainRecord)).toBe(true);

      // Forgeries: a changed record, a tampered sibling, a root that was never anchored, a node passed as a leaf.
      expect(await anchor.verifyRecord(tree.root, proof, { ...onChainRecord, outcome: (record.outcome + 1) % 3 })).toBe(false);
      const tampered = [...proof];
      tampered[0] = id('forged sibling');
      expect(await anchor.verifyRecord(tree.root, tampered, onChainRecord)).toBe(false);
      const other = StandardMerkleTree.of([values, recordValues(anchorRecordOf(installEvent(999)))], RECORD_ENCODING);
      expect(await anchor.verifyRecord(other.root, other.getProof(0), onChainRecord)).toBe(false);
      expect(await anchor.verifyLeaf(tree.root, proof.slice(1), proof[0] ?? '0x')).toBe(false);
    }
  });

  it('refuses a root anchored twice, an empty batch, and a non-anchorer', async () => {
    const tree = StandardMerkleTree.of([recordValues(anchorRecordOf(installEvent(1000)))], RECORD_ENCODING);
    await mined(anchor.anchor(tree.root, 1));
    await expect(anchor.anchor(tree.root, 1)).rejects.toThrow(/RootAlreadyAnchored|0x/);
    await expect(anchor.anchor(id('empty'), 0)).rejects.toThrow(/EmptyBatch|0x/);
    const asStranger = connectDownloadAnchor(await anchor.getAddress(), stranger);
    await expect(asStranger.anchor(id('stranger root'), 1)).rejects.toThrow(/AccessControlUnauthorizedAccount|0xe2517d3f/);
  });

  it('stays within the gas aims: < 150,000 per onboarding in a batch (group insertion included), < 1,000 per anchored event', async () => {
    const owners = Array.from({ length: 20 }, () => Wallet.createRandom().address);
    const onboarding = await (await factory.onboardMany(owners.map((owner) => fieldCommitment(owner)), owners)).wait();
    expect(Number(onboarding?.gasUsed) / owners.length).toBeLessThan(150_000);
    const anchoring = await (await anchor.anchor(id('a batch of 1,000'), 1_000)).wait();
    expect(Number(anchoring?.gasUsed) / 1_000).toBeLessThan(1_000);
  });
});
