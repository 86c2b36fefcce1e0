// The identity layer on a real chain (the bundled Anvil) with real Semaphore v4 proofs made from the local
// artifacts of @zk-kit/semaphore-artifacts: commitments join Semaphore's group through our registry; a proof
// verifies off chain and on chain; a Subscriber without a wallet executes a call authorised by a proof; a wrong
// scope, a reused nullifier, a commitment outside the group and a removed member are refused; a Subscriber with a
// wallet obeys the wallet and refuses proofs. Small trees (depth 1–3) keep each proof under a second or two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, Wallet, ZeroAddress, type JsonRpcProvider, type Log, type TransactionReceipt } from 'ethers';
import { connectSemaphore, connectSubscriber, SemaphoreAbi, SubscriberAbi, SubscriberFactoryAbi, type SemaphoreContract, type SubscriberContract } from '../src/generated/index.js';
import {
  Group,
  SubscriberRegistry,
  createIdentity,
  commitmentBytes32,
  deployIdentityContracts,
  deployWithSigner,
  generateIdentityProof,
  proveSubscriberCall,
  releaseProver,
  subscriberCallScope,
  toSolidityProof,
  verifyIdentityProof,
  type Identity,
  type SemaphoreProof,
} from '../src/identity/index.js';
import { fundedWallet, removeDir, startTestNode, testProvider, type TestNode } from '@zkesim/testing/chain/nodes';

/** Semaphore's errors and the LeanIMT library's, so a revert from inside Semaphore is named too. */
const errors = new Interface([
  ...SemaphoreAbi.filter((entry) => entry.type === 'error'),
  ...SubscriberAbi.filter((entry) => entry.type === 'error'),
  ...SubscriberFactoryAbi.filter((entry) => entry.type === 'error'),
  'error LeafAlreadyExists()',
  'error LeafDoesNotExist()',
]);

/** The name of the custom error `call` reverts with. */
async function revertOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: string }).data ?? (error as { info?: { error?: { data?: string } } }).info?.error?.data;
    if (typeof data === 'string') return errors.parseError(data)?.name ?? `unknown revert ${data}`;
    throw error;
  }
  throw new Error('the call did not revert');
}

async function mined(tx: Promise<{ wait(): Promise<TransactionReceipt | null> }>): Promise<readonly Log[]> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error('transaction failed');
  return receipt.logs;
}

/**
 * Each proof takes about 0.5 s of CPU alone, but snarkjs's worker threads compete with the other test files and
 * nodes on two shared cores; the proof-making tests get twice the default time so load cannot fail them.
 */
const PROOF_TEST_TIMEOUT_MS = 60_000;

/** How long Semaphore accepts a superseded root in this test's group (seconds). */
const ROOT_DURATION = 600;

describe('identity layer on anvil', () => {
  let node: TestNode;
  let provider: JsonRpcProvider;
  let operator: Wallet;
  let relayer: Wallet;
  let registry: SubscriberRegistry;
  let semaphore: SemaphoreContract;
  let groupId: bigint;
  let chainId: bigint;
  const alice = createIdentity();
  const bob = createIdentity();
  const carol = createIdentity();
  const outsider = createIdentity();
  let carolWallet: Wallet;
  const contracts: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
  let bobCallProof: SemaphoreProof;
  const bobCall = { target: Wallet.createRandom().address, value: 0n, data: '0x' };

  beforeAll(async () => {
    node = await startTestNode('anvil');
    provider = testProvider(node.rpcUrl);
    [operator, relayer, carolWallet] = await Promise.all([fundedWallet(provider), fundedWallet(provider), fundedWallet(provider)]);
    const deployment = await deployIdentityContracts(
      deployWithSigner(operator),
      { admin: operator.address, operator: operator.address, merkleTreeDuration: ROOT_DURATION },
      operator,
    );
    registry = new SubscriberRegistry(deployment.subscriberFactory, operator, deployment.blockNumber);
    semaphore = connectSemaphore(deployment.semaphore, relayer);
    groupId = BigInt(deployment.groupId);
    chainId = (await provider.getNetwork()).chainId;
  });

  afterAll(async () => {
    await releaseProver();
    provider?.destroy();
    await node?.stop();
    if (node) removeDir(node.dataDir);
  });

  function subscriber(address: string, runner = relayer): SubscriberContract {
    return connectSubscriber(address, runner);
  }

  async function proveCall(identity: Identity, address: string, call: { target: string; value: bigint; data: string }): Promise<SemaphoreProof> {
    const nonce = await subscriber(address).proofNonce();
    return proveSubscriberCall(identity, { chainId, subscriber: address, nonce, ...call });
  }

  it('onboards through the registry: one contract per commitment, every commitment in the Semaphore group the factory administers, idempotent', async () => {
    const onboarded = await registry.onboardMany([{ commitment: alice.commitment }, { commitment: bob.commitment }, { commitment: carol.commitment, wallet: carolWallet.address }]);
    [contracts.alice, contracts.bob, contracts.carol] = onboarded.map(({ subscriber: address }) => address) as [string, string, string];
    for (const { commitment, wallet, subscriber: address } of onboarded) {
      expect(address).toBe(await registry.subscriberAddress(commitment, wallet, operator.address));
      expect(await provider.getCode(address)).not.toBe('0x');
      expect(await subscriber(address).identityCommitment()).toBe(commitmentBytes32(commitment));
      expect(await semaphore.hasMember(groupId, commitment)).toBe(true);
    }
    expect(await subscriber(contracts.alice).owner()).toBe(ZeroAddress);
    expect(await subscriber(contracts.carol).owner()).toBe(carolWallet.address);
    expect(await semaphore.getGroupAdmin(groupId)).toBe(await registry.factory.getAddress());
    expect(await semaphore.getMerkleTreeSize(groupId)).toBe(3n);
    expect((await registry.group()).root).toBe(await semaphore.getMerkleTreeRoot(groupId));

    // A retried onboarding returns the same contract and adds nobody.
    expect((await registry.onboard(alice.commitment)).subscriber).toBe(contracts.alice);
    expect(await semaphore.getMerkleTreeSize(groupId)).toBe(3n);
    // Only the registry (its operators) changes the group: Semaphore refuses anyone else.
    expect(await revertOf(semaphore.addMember(groupId, outsider.commitment))).toBe('Semaphore__CallerIsNotTheGroupAdmin');
    const asRelayer = new SubscriberRegistry(await registry.factory.getAddress(), relayer);
    expect(await revertOf(asRelayer.onboard(outsider.commitment))).toBe('AccessControlUnauthorizedAccount');
  });

  it('a group proof made with the local artifacts verifies off chain and on chain; its nullifier is spent once; an outsider and a tampered proof are refused', async () => {
    const group = await registry.group();
    const proof = await generateIdentityProof(alice, group, 42n, 7n);
    expect(proof.merkleTreeRoot).toBe(group.root.toString());
    expect(await verifyIdentityProof(proof)).toBe(true);
    expect(await registry.verifyOnChain(proof)).toEqual({ verifierAccepts: true, groupAccepts: true });

    await mined(semaphore.validateProof(groupId, toSolidityProof(proof)));
    expect(await revertOf(semaphore.validateProof(groupId, toSolidityProof(proof)))).toBe('Semaphore__YouAreUsingTheSameNullifierTwice');

    const tampered = { ...proof, message: '8' };
    expect(await verifyIdentityProof(tampered)).toBe(false);
    expect(await registry.verifyOnChain(tampered)).toEqual({ verifierAccepts: false, groupAccepts: false });

    // An identity outside the group cannot prove membership of it, and a proof over a group of its own making
    // is a valid SNARK whose root the on-chain group never had.
    await expect(generateIdentityProof(outsider, group, 42n, 7n)).rejects.toThrow(/not a member/);
    const forged = await generateIdentityProof(outsider, new Group([alice.commitment, outsider.commitment]), 42n, 7n);
    expect(await verifyIdentityProof(forged)).toBe(true);
    expect(await registry.verifyOnChain(forged)).toEqual({ verifierAccepts: true, groupAccepts: false, groupError: 'Semaphore__MerkleTreeRootIsNotPartOfTheGroup' });
  }, PROOF_TEST_TIMEOUT_MS);

  it("a Subscriber without a wallet executes a call authorised by its identity's proof, submitted by anyone; replay, wrong scope, wrong call, another identity and a broken proof are refused", async () => {
    await mined(relayer.sendTransaction({ to: contracts.alice, value: 10_000n }));
    const payee = Wallet.createRandom().address;
    const payment = { target: payee, value: 1_000n, data: '0x' };
    const proof = await proveCall(alice, contracts.alice, payment);
    expect(proof.merkleTreeRoot).toBe(alice.commitment.toString());
    expect(await verifyIdentityProof(proof)).toBe(true);

    const aliceContract = subscriber(contracts.alice);
    const logs = await mined(aliceContract.executeWithProof(payee, 1_000n, '0x', toSolidityProof(proof)));
    expect(await provider.getBalance(payee)).toBe(1_000n);
    const accepted = logs.map((log) => aliceContract.interface.parseLog(log)).find((parsed) => parsed?.name === 'ProofAccepted');
    expect(accepted?.args.toObject()).toEqual({ nonce: 0n, nullifier: BigInt(proof.nullifier) });
    expect(await aliceContract.proofNonce()).toBe(1n);

    // The same proof again: its scope names a spent nonce (a reused nullifier).
    expect(await revertOf(aliceContract.executeWithProof.staticCall(payee, 1_000n, '0x', toSolidityProof(proof)))).toBe('ProofScopeMismatch');

    // A wallet of the subscriber's choosing, attached by proof: a call to the contract itself.
    const newWallet = await fundedWallet(provider);
    const attach = { target: contracts.alice, value: 0n, data: aliceContract.interface.encodeFunctionData('transferOwnership', [newWallet.address]) };
    const attachProof = await proveCall(alice, contracts.alice, attach);
    // The proof binds the call: another target, value or calldata is refused.
    expect(await revertOf(aliceContract.executeWithProof.staticCall(payee, 0n, attach.data, toSolidityProof(attachProof)))).toBe('ProofMessageMismatch');
    expect(await revertOf(aliceContract.executeWithProof.staticCall(attach.target, 1n, attach.data, toSolidityProof(attachProof)))).toBe('ProofMessageMismatch');
    // A proof for another chain's scope.
    const otherChain = await proveSubscriberCall(alice, { chainId: chainId + 1n, subscriber: contracts.alice, nonce: 1n, ...attach });
    expect(BigInt(otherChain.scope)).toBe(subscriberCallScope(chainId + 1n, contracts.alice, 1n));
    expect(await revertOf(aliceContract.executeWithProof.staticCall(attach.target, 0n, attach.data, toSolidityProof(otherChain)))).toBe('ProofScopeMismatch');
    // Another member's identity (bob's proof for his own contract) is not alice's.
    bobCallProof = await proveCall(bob, contracts.bob, bobCall);
    expect(await revertOf(aliceContract.executeWithProof.staticCall(attach.target, 0n, attach.data, toSolidityProof(bobCallProof)))).toBe('ProofNotForThisSubscriber');
    // A proof whose public values fit but whose SNARK does not.
    const broken = toSolidityProof(attachProof);
    broken.nullifier += 1n;
    expect(await revertOf(aliceContract.executeWithProof.staticCall(attach.target, 0n, attach.data, broken))).toBe('InvalidProof');

    await mined(aliceContract.executeWithProof(attach.target, 0n, attach.data, toSolidityProof(attachProof)));
    expect(await aliceContract.owner()).toBe(newWallet.address);
    // From now on the wallet controls the contract and proofs are refused (checked before anything else).
    expect(await revertOf(aliceContract.executeWithProof.staticCall(attach.target, 0n, attach.data, toSolidityProof(otherChain)))).toBe('ProofsNotAccepted');
    await mined(subscriber(contracts.alice, newWallet).execute(payee, 500n, '0x'));
    expect(await provider.getBalance(payee)).toBe(1_500n);
  }, PROOF_TEST_TIMEOUT_MS);

  it('a removed member: its Subscriber refuses its proofs at once; the group refuses it once the old root expires', async () => {
    const before = await registry.group();
    const groupProof = await generateIdentityProof(bob, before, 1n, 2n);
    const bobContract = subscriber(contracts.bob);
    const call = bobCall;
    expect(BigInt(bobCallProof.scope)).toBe(subscriberCallScope(chainId, contracts.bob, 0n));
    // While bob is a member, his contract would run the call.
    await bobContract.executeWithProof.staticCall(call.target, call.value, call.data, toSolidityProof(bobCallProof));

    await registry.revoke(bob.commitment);
    expect(await registry.isMember(bob.commitment)).toBe(false);
    expect(await revertOf(bobContract.executeWithProof.staticCall(call.target, call.value, call.data, toSolidityProof(bobCallProof)))).toBe('IdentityRevoked');
    await expect(generateIdentityProof(bob, await registry.group(), 1n, 2n)).rejects.toThrow(/not a member/);

    // Semaphore still accepts proofs against a root superseded less than merkleTreeDuration ago (by design: proofs
    // made just before an onboarding stay usable); after that the removed member is out.
    expect((await registry.verifyOnChain(groupProof)).groupAccepts).toBe(true);
    await provider.send('evm_increaseTime', [ROOT_DURATION + 1]);
    await provider.send('evm_mine', []);
    expect(await registry.verifyOnChain(groupProof)).toEqual({ verifierAccepts: true, groupAccepts: false, groupError: 'Semaphore__MerkleTreeRootIsExpired' });
    // Members still in the group prove against the current root.
    const aliceProof = await generateIdentityProof(alice, await registry.group(), 1n, 2n);
    expect((await registry.verifyOnChain(aliceProof)).groupAccepts).toBe(true);
  }, PROOF_TEST_TIMEOUT_MS);

  it('a Subscriber with a wallet: the owner path works, identity proofs are refused, strangers are refused', async () => {
    const carolContract = subscriber(contracts.carol, carolWallet);
    await mined(relayer.sendTransaction({ to: contracts.carol, value: 1_000n }));
    const payee = Wallet.createRandom().address;
    await mined(carolContract.execute(payee, 300n, '0x'));
    expect(await provider.getBalance(payee)).toBe(300n);
    const proof = await proveCall(carol, contracts.carol, { target: payee, value: 300n, data: '0x' });
    expect(await verifyIdentityProof(proof)).toBe(true);
    expect(await revertOf(subscriber(contracts.carol).executeWithProof.staticCall(payee, 300n, '0x', toSolidityProof(proof)))).toBe('ProofsNotAccepted');
    expect(await revertOf(subscriber(contracts.carol).execute.staticCall(payee, 300n, '0x'))).toBe('OwnableUnauthorizedAccount');
  }, PROOF_TEST_TIMEOUT_MS);
});
