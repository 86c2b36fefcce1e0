// `zkesim chain …`: status, anchor-now, verify-event, verify-proof. A thin adapter: reads configuration from the
// environment (CHAIN_*), resolves the chain of the data directory (by default the stack's, `<ZKESIM_DATA_DIR or
// ./data>/chain`: a running bundled node, else it starts one for the command's duration), and prints. Exit code 1
// when a check fails.
import type { Command } from 'commander';
import { stackDataDir, stackPaths } from '@zkesim/config';
import { hexlify } from 'ethers';
import { chainConfigFromEnvironment, type ChainConfig } from './client/chainConfig.js';
import { describeRpc, rpcEndpoint } from './client/rpcConnection.js';
import { systemDeps } from './deps.js';
import { anchorEventId } from './anchor/anchorRecord.js';
import { verifyAnchorProof } from './anchor/verifyProof.js';
import { createAnchorWorker, openAnchorOutbox, openChainStack, type ChainStack } from './chainService.js';
import { connectDownloadAnchor } from './generated/index.js';
import { readSemaphoreProofFile, releaseProver, verifyIdentityProof } from './identity/proofs.js';
import { SubscriberRegistry } from './identity/registry.js';
import { InvalidIdentityProof } from './errors.js';

export interface ChainCommandIo {
  env: Record<string, string | undefined>;
  write(line: string): void;
}

async function withStack<T>(dataDir: string, config: ChainConfig, run: (stack: ChainStack) => Promise<T>): Promise<T> {
  const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

/** `chain status`: chain id, head block, contract addresses, outbox backlog. */
export async function chainStatus(dataDir: string, io: ChainCommandIo): Promise<number> {
  const config = chainConfigFromEnvironment(io.env);
  return withStack(dataDir, config, async ({ client, deployment, endpoint }) => {
    const outbox = openAnchorOutbox(dataDir, Date.now);
    try {
      const backlog = outbox.backlog();
      const anchor = connectDownloadAnchor(deployment.downloadAnchor, client.provider);
      io.write(`rpc               ${describeRpc(rpcEndpoint(endpoint.rpcUrl, config.auth))}${endpoint.bundled ? ' (bundled anvil)' : ''}`);
      io.write(`chain id          ${client.chainId}`);
      io.write(`block             ${await client.blockNumber()}`);
      io.write(`operator          ${client.address}`);
      io.write(`DownloadAnchor    ${deployment.downloadAnchor} (${await anchor.batchCount()} batches anchored)`);
      io.write(`SubscriberFactory ${deployment.subscriberFactory} (Semaphore ${deployment.semaphore}, group ${deployment.groupId})`);
      io.write(`outbox            ${backlog.pendingEvents} pending events, ${backlog.unanchoredBatches} unanchored batches, ${backlog.anchoredEvents} anchored events`);
      return 0;
    } finally {
      outbox.close();
    }
  });
}

/** `chain anchor-now`: one anchoring pass over the outbox. */
export async function chainAnchorNow(dataDir: string, io: ChainCommandIo): Promise<number> {
  const config = chainConfigFromEnvironment(io.env);
  return withStack(dataDir, config, async ({ endpoint }) => {
    const deps = systemDeps();
    const outbox = openAnchorOutbox(dataDir, deps.now);
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl: endpoint.rpcUrl, privateKey: endpoint.privateKey, config, deps });
    try {
      const pass = await worker.runOnce();
      const backlog = outbox.backlog();
      io.write(`anchored ${pass.anchoredEvents} events${pass.awaitingConfirmations ? ' (a batch awaits confirmations)' : ''}; ${backlog.pendingEvents} pending, ${backlog.unanchoredBatches} unanchored batches`);
      return 0;
    } finally {
      await worker.stop();
      outbox.close();
    }
  });
}

/** `chain verify-event <id>`: the event's proof from the outbox, checked against the on-chain root. */
export async function chainVerifyEvent(dataDir: string, eventIdText: string, io: ChainCommandIo): Promise<number> {
  const eventId = anchorEventId(eventIdText.toLowerCase());
  const config = chainConfigFromEnvironment(io.env);
  const outbox = openAnchorOutbox(dataDir, Date.now);
  try {
    const proof = outbox.proof(eventId);
    if (proof === undefined) {
      io.write(`event ${eventId}: ${outbox.status(eventId).state}, not in a batch yet`);
      return 1;
    }
    return await withStack(dataDir, config, async ({ client, deployment }) => {
      const verdict = await verifyAnchorProof(proof, deployment.downloadAnchor, client.provider);
      const ok = verdict.proofMatchesRoot && verdict.acceptedOnChain;
      io.write(`event    ${eventId}`);
      io.write(`root     ${hexlify(proof.root)} (batch ${verdict.batchNumber || 'not anchored'})`);
      io.write(`proof    ${proof.proof.length} hashes, ${verdict.proofMatchesRoot ? 'matches the root' : 'does NOT match the root'}`);
      io.write(`on chain ${verdict.acceptedOnChain ? 'accepted' : 'REJECTED'}`);
      return ok ? 0 : 1;
    });
  } finally {
    outbox.close();
  }
}

/**
 * `chain verify-proof FILE`: a Semaphore proof (JSON, as `generateIdentityProof` returns it) checked off chain
 * (@semaphore-protocol/proof) and on chain (Semaphore's verifier; then Semaphore for the subscriber group, which
 * also wants its root to be the group's current or a recent one). Exit 0 when both SNARK checks pass; the group
 * line says whether the root is the subscriber group's (a Subscriber-call proof's root is one commitment, not the
 * group's). Nothing is spent: the on-chain checks are calls, not transactions.
 */
export async function chainVerifyProof(dataDir: string, file: string, io: ChainCommandIo): Promise<number> {
  let proof;
  try {
    proof = readSemaphoreProofFile(file);
  } catch (error) {
    io.write(`${file}: ${error instanceof InvalidIdentityProof ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const offChain = await verifyIdentityProof(proof);
    const config = chainConfigFromEnvironment(io.env);
    return await withStack(dataDir, config, async ({ client, deployment }) => {
      const registry = new SubscriberRegistry(deployment.subscriberFactory, client.provider, deployment.blockNumber);
      const verdict = await registry.verifyOnChain(proof);
      io.write(`proof     depth ${proof.merkleTreeDepth}, root ${proof.merkleTreeRoot}, nullifier ${proof.nullifier}`);
      io.write(`off chain ${offChain ? 'valid' : 'INVALID'}`);
      io.write(`on chain  ${verdict.verifierAccepts ? 'valid' : 'INVALID'} (SemaphoreVerifier ${deployment.semaphoreVerifier})`);
      io.write(`group     ${verdict.groupAccepts ? `accepted by subscriber group ${deployment.groupId}` : `not accepted by subscriber group ${deployment.groupId}${verdict.groupError ? ` (${verdict.groupError})` : ''}`}`);
      return offChain && verdict.verifierAccepts ? 0 : 1;
    });
  } finally {
    await releaseProver();
  }
}

/** Adds `zkesim chain status | anchor-now | verify-event <id> | verify-proof <file>`. */
export function registerCommands(program: Command): void {
  const io: ChainCommandIo = { env: process.env, write: (line) => process.stdout.write(`${line}\n`) };
  const chain = program
    .command('chain')
    .description('the Ethereum chain layer: anchored download events, subscriber contracts')
    .option('--data-dir <dir>', 'chain data directory (node state, contract addresses, outbox); default: the chain folder of the stack\'s data directory (ZKESIM_DATA_DIR or ./data)');
  const dataDir = (): string => (chain.opts() as { dataDir?: string }).dataDir ?? stackPaths(stackDataDir(process.env, process.cwd())).chain;
  chain
    .command('status')
    .description('chain id, block, contract addresses, outbox backlog')
    .action(async () => {
      process.exitCode = await chainStatus(dataDir(), io);
    });
  chain
    .command('anchor-now')
    .description('batch and anchor the pending outbox events now')
    .action(async () => {
      process.exitCode = await chainAnchorNow(dataDir(), io);
    });
  chain
    .command('verify-event <id>')
    .description("check an event's Merkle proof against the on-chain root (exit 0 valid, 1 not)")
    .action(async (id: string) => {
      process.exitCode = await chainVerifyEvent(dataDir(), id, io);
    });
  chain
    .command('verify-proof <file>')
    .description('check a Semaphore identity proof (JSON) off chain and on chain (exit 0 valid, 1 not, 2 unreadable)')
    .action(async (file: string) => {
      process.exitCode = await chainVerifyProof(dataDir(), file, io);
    });
}
