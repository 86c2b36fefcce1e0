// Which subscriber-group roots the SIP verifier accepts. A proof names the Merkle root it was made against; the
// verifier accepts the group's current root, read from the chain at most `maxAgeMs` ago, and a root it saw as
// current that was superseded less than `graceMs` ago (a proof made just before someone else joined), but never a
// root superseded by a removal: a revoked subscriber's older proofs stop working as soon as the verifier sees the
// new root (at most `maxAgeMs` later), unlike Semaphore.verifyProof, which keeps any root for the group's whole
// merkleTreeDuration.
import type { Clock } from '@zkesim/protocol';

/** What the policy reads from the chain (adapters/chainRoots.ts reads Semaphore on chain). */
export interface GroupRootSource {
  /** The group's current root and the block it was read at. */
  current(): Promise<{ root: bigint; block: number }>;
  /** True when a member was removed from the group in a block after `block` (up to the latest). */
  removedSince(block: number): Promise<boolean>;
}

export interface RootPolicyOptions {
  /** How old the cached current root may be before it is read again. */
  maxAgeMs: number;
  /** How long a root superseded by additions only stays acceptable; at most the contract's merkleTreeDuration. */
  graceMs: number;
  /**
   * A proof naming an unknown root (a member just joined, or a group of the caller's own making) makes the policy
   * read the chain again at most this often; default 1000 ms, so such proofs cannot drive one chain read each.
   */
  rereadMs?: number;
  /** Resolves after `ms` (default: a timer); the policy waits with it for the next reread window. */
  wait?: (ms: number) => Promise<void>;
}

const timerWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type RootVerdict = { accepted: true; root: 'current' | 'recent' } | { accepted: false; reason: string };

export class GroupRootPolicy {
  private current: { root: bigint; block: number; readAt: number } | undefined;
  /** Superseded roots (by additions only) with the time this verifier saw them superseded. */
  private readonly recent = new Map<bigint, number>();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly source: GroupRootSource,
    private readonly clock: Clock,
    private readonly options: RootPolicyOptions,
  ) {}

  /** Whether a proof against `root` is acceptable now. */
  async check(root: bigint): Promise<RootVerdict> {
    if (this.current === undefined || this.clock.now() - this.current.readAt >= this.options.maxAgeMs) await this.refresh();
    let verdict = this.judge(root);
    // Perhaps a root newer than the cached one (a member joined since the last read): read again before refusing,
    // at most once per rereadMs. Within rereadMs of the last read the check waits for the window rather than
    // refusing, so a new member's first proof right after someone else's is not turned away; proofs over made-up
    // groups are delayed by at most rereadMs and still drive at most one chain read per rereadMs.
    if (!verdict.accepted && !this.recent.has(root)) {
      const rereadMs = this.options.rereadMs ?? 1_000;
      const early = (this.current?.readAt ?? 0) + rereadMs - this.clock.now();
      if (early > 0) await (this.options.wait ?? timerWait)(early);
      // Checks that waited together share one read (refresh() coalesces); one that finds a read made meanwhile uses it.
      if (this.refreshing !== undefined || this.clock.now() - (this.current?.readAt ?? 0) >= rereadMs) await this.refresh();
      verdict = this.judge(root);
    }
    return verdict;
  }

  private judge(root: bigint): RootVerdict {
    if (this.current?.root === root) return { accepted: true, root: 'current' };
    const supersededAt = this.recent.get(root);
    if (supersededAt !== undefined && this.clock.now() - supersededAt <= this.options.graceMs) return { accepted: true, root: 'recent' };
    return { accepted: false, reason: supersededAt === undefined ? 'unknown or revoked group root' : 'group root too old' };
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.read().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async read(): Promise<void> {
    const previous = this.current;
    const next = await this.source.current();
    const now = this.clock.now();
    if (previous !== undefined && previous.root !== next.root) {
      if (await this.source.removedSince(previous.block)) this.recent.clear();
      else this.recent.set(previous.root, now);
    }
    for (const [root, at] of this.recent) if (now - at > this.options.graceMs) this.recent.delete(root);
    this.current = { ...next, readAt: now };
  }
}
