// Which group roots the verifier accepts, with the chain behind the GroupRootSource port scripted: the current
// root; a root superseded by additions, for the grace period; never a root superseded by a removal. The same
// policy over the real chain (SubscriberFactory.revoke on Anvil) is in test/e2e/sip.test.ts.
import { describe, expect, it } from 'vitest';
import { GroupRootPolicy, type GroupRootSource } from './rootPolicy.js';

function chain() {
  const state = { root: 1n, block: 10, removals: [] as number[], reads: 0 };
  const source: GroupRootSource = {
    current: () => {
      state.reads += 1;
      return Promise.resolve({ root: state.root, block: state.block });
    },
    removedSince: (block) => Promise.resolve(state.removals.some((at) => at > block)),
  };
  return { state, source };
}

describe('GroupRootPolicy', () => {
  it('accepts the current root, reading it again only when older than maxAgeMs or when a proof names an unknown root', async () => {
    const { state, source } = chain();
    const clock = { time: 0, now: () => clock.time };
    const waits: number[] = [];
    const wait = (ms: number): Promise<void> => {
      waits.push(ms);
      clock.time += ms;
      return Promise.resolve();
    };
    const policy = new GroupRootPolicy(source, clock, { maxAgeMs: 10_000, graceMs: 5_000, rereadMs: 500, wait });
    expect(await policy.check(1n)).toEqual({ accepted: true, root: 'current' });
    expect(await policy.check(1n)).toEqual({ accepted: true, root: 'current' });
    expect(state.reads).toBe(1);
    // A member joined: a proof against the new root makes the policy read again before maxAgeMs. Within rereadMs
    // of the last read it waits for the window to open rather than refusing (the new member's first
    // registration right after someone else's), so proofs over made-up groups still drive at most one chain
    // read per rereadMs.
    Object.assign(state, { root: 2n, block: 11 });
    clock.time = 100;
    expect(await policy.check(2n)).toEqual({ accepted: true, root: 'current' });
    expect(state.reads).toBe(2);
    expect(waits).toEqual([400]);
    clock.time = 700;
    expect(await policy.check(99n)).toEqual({ accepted: false, reason: 'unknown or revoked group root' });
    expect(await policy.check(98n)).toEqual({ accepted: false, reason: 'unknown or revoked group root' });
    // Made-up roots one after another: each waits for the window, so at most one read per rereadMs.
    expect(state.reads).toBe(4);
    expect(waits).toEqual([400, 300, 500]);
  });

  it('reads the chain once for unknown roots that arrive together within rereadMs', async () => {
    const { state, source } = chain();
    const clock = { time: 0, now: () => clock.time };
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const policy = new GroupRootPolicy(source, clock, { maxAgeMs: 10_000, graceMs: 5_000, rereadMs: 500, wait: () => gate.then(() => void (clock.time = 500)) });
    await policy.check(1n);
    Object.assign(state, { root: 2n, block: 11 });
    const verdicts = Promise.all([policy.check(2n), policy.check(77n), policy.check(2n)]);
    release();
    expect(await verdicts).toEqual([
      { accepted: true, root: 'current' },
      { accepted: false, reason: 'unknown or revoked group root' },
      { accepted: true, root: 'current' },
    ]);
    expect(state.reads).toBe(2);
  });

  it('keeps a root superseded by additions for the grace period', async () => {
    const { state, source } = chain();
    const clock = { time: 0, now: () => clock.time };
    const policy = new GroupRootPolicy(source, clock, { maxAgeMs: 0, graceMs: 5_000 });
    await policy.check(1n);
    Object.assign(state, { root: 2n, block: 11 });
    clock.time = 1_000;
    expect(await policy.check(1n)).toEqual({ accepted: true, root: 'recent' });
    // The grace runs from when this verifier saw the root superseded (t = 1000).
    clock.time = 6_000;
    expect(await policy.check(1n)).toEqual({ accepted: true, root: 'recent' });
    clock.time = 6_001;
    expect((await policy.check(1n)).accepted).toBe(false);
    expect(await policy.check(2n)).toEqual({ accepted: true, root: 'current' });
  });

  it('drops every older root once a member was removed', async () => {
    const { state, source } = chain();
    const clock = { now: () => 0 };
    const policy = new GroupRootPolicy(source, clock, { maxAgeMs: 0, graceMs: 60_000 });
    await policy.check(1n);
    Object.assign(state, { root: 2n, block: 11 });
    expect(await policy.check(1n)).toEqual({ accepted: true, root: 'recent' });
    Object.assign(state, { root: 3n, block: 12, removals: [12] });
    expect(await policy.check(2n)).toEqual({ accepted: false, reason: 'unknown or revoked group root' });
    expect(await policy.check(1n)).toEqual({ accepted: false, reason: 'unknown or revoked group root' });
    expect(await policy.check(3n)).toEqual({ accepted: true, root: 'current' });
  });
});
