// Background anchoring: takes batches out of the outbox, anchors their roots, and marks them anchored once
// they are `confirmations` blocks deep. Every step is re-derived from the outbox and the chain, so a crash,
// a node outage or a reorg at any point resumes correctly, and the contract's one-anchor-per-root rule means
// a batch is never counted twice.
import type { ChainDeps } from '../deps.js';
import type { AnchorOutbox, OpenBatch } from './anchorOutbox.js';
import type { AnchorChain } from './anchorChain.js';

export interface AnchorWorkerOptions {
  /** Connects to the chain; called again after a failure, so a node that comes back is picked up. */
  connect: () => Promise<AnchorChain>;
  confirmations: number;
  maxBatchSize: number;
  intervalMs: number;
}

export interface AnchorPass {
  /** Events whose batch became anchored in this pass. */
  anchoredEvents: number;
  /** True when a batch is mined but not yet deep enough. */
  awaitingConfirmations: boolean;
}

export class AnchorWorker {
  private chain: AnchorChain | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastPass: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: AnchorOutbox,
    private readonly options: AnchorWorkerOptions,
    private readonly deps: ChainDeps,
  ) {}

  /**
   * One pass: finish the open batch, then batch and anchor pending events until none are left or a batch
   * waits for confirmations. Throws when the chain cannot be reached (the events stay in the outbox).
   */
  runOnce(): Promise<AnchorPass> {
    // Passes never overlap (the timer loop and `chain anchor-now` style callers may both ask for one).
    const pass = this.lastPass.then(() => this.pass());
    // The queue only needs to know the pass ended; its error reaches the caller through `pass`.
    this.lastPass = pass.catch(() => undefined);
    return pass;
  }

  private async pass(): Promise<AnchorPass> {
    const chain = await this.connected();
    let anchoredEvents = 0;
    try {
      await this.recheckAnchored(chain);
      for (;;) {
        const batch = this.outbox.openBatch() ?? this.outbox.createBatch(this.options.maxBatchSize);
        if (batch === undefined) return { anchoredEvents, awaitingConfirmations: false };
        if (!(await this.advance(chain, batch))) return { anchoredEvents, awaitingConfirmations: true };
        anchoredEvents += batch.leafCount;
      }
    } catch (error) {
      this.disconnect();
      throw error;
    }
  }

  /**
   * Re-checks the anchored batches, newest first, until one is on the chain as recorded (normally the first:
   * one call per pass). A batch whose root the chain no longer holds goes back to `built` and is anchored
   * again: a reorganisation deeper than `confirmations`, or a node restarted from state older than its last
   * blocks (the bundled Anvil, SIGKILLed, restarts from its last state dump), takes the newest blocks away.
   */
  private async recheckAnchored(chain: AnchorChain): Promise<void> {
    let below: number | undefined;
    for (;;) {
      const page = this.outbox.anchoredBatches(50, below);
      for (const batch of page) {
        const onChain = await chain.batchOf(batch.root);
        if (onChain.batchNumber === batch.batchNumber && onChain.blockNumber === batch.blockNumber) return;
        if (onChain.batchNumber === 0) {
          this.outbox.reopenBatch(batch.batchId);
          this.deps.logger.warn({ batchId: batch.batchId, batchNumber: batch.batchNumber, blockNumber: batch.blockNumber }, 'anchored root no longer on the chain, anchoring it again');
        } else {
          // Anchored again meanwhile (another worker on the same outbox): record where the chain holds it.
          this.outbox.markAnchored(batch.batchId, onChain.batchNumber, onChain.blockNumber);
        }
      }
      if (page.length < 50) return;
      below = page[page.length - 1]?.batchId;
    }
  }

  /** Returns true once the batch is anchored at the configured depth. */
  private async advance(chain: AnchorChain, batch: OpenBatch): Promise<boolean> {
    let onChain = await chain.batchOf(batch.root);
    if (onChain.batchNumber === 0) {
      // Not on the canonical chain: never sent, lost with a crash, or reorganised away. (Re)submit it.
      const transactionHash = await chain.submitRoot(batch.root, batch.leafCount);
      this.outbox.markSubmitted(batch.batchId, transactionHash);
      onChain = await chain.batchOf(batch.root);
      this.deps.logger.info({ batchId: batch.batchId, leafCount: batch.leafCount, batchNumber: onChain.batchNumber }, 'anchor root submitted');
      if (onChain.batchNumber === 0) return false;
    }
    if ((await chain.confirmationsOf(onChain.blockNumber)) < this.options.confirmations) return false;
    this.outbox.markAnchored(batch.batchId, onChain.batchNumber, onChain.blockNumber);
    this.deps.logger.info({ batchId: batch.batchId, batchNumber: onChain.batchNumber, blockNumber: onChain.blockNumber }, 'anchor batch confirmed');
    return true;
  }

  private async connected(): Promise<AnchorChain> {
    this.chain ??= await this.options.connect();
    return this.chain;
  }

  private disconnect(): void {
    this.chain?.close();
    this.chain = undefined;
  }

  /** Runs a pass every `intervalMs` until `stop()`; a failed pass is logged and retried on the next tick. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = (): void => {
      this.running = this.runOnce()
        .then((pass) => {
          if (pass.anchoredEvents > 0) this.deps.logger.info({ anchoredEvents: pass.anchoredEvents }, 'anchor pass done');
        })
        .catch((error: unknown) => {
          this.deps.logger.warn({ error: error instanceof Error ? error.message : String(error), backlog: this.outbox.backlog() }, 'anchor pass failed, will retry');
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  /** Stops the loop and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
    this.disconnect();
  }
}
