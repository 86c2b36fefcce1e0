// CPU quotas for benchmarked server processes (`--server-cpu Q` / BENCH_SERVER_CPU): each process placed in a
// cgroup of its own (cgroup v1 cpu controller, CFS bandwidth control: cpu.cfs_quota_us of CPU time per
// cpu.cfs_period_us, Linux Documentation/scheduler/sched-bwc.rst) so that it gets at most Q cores. On a
// machine where the load clients and the database share the cores with the servers, capping each server
// process makes the server tier, not the clients, the bottleneck, so that one process against two shows how
// the server tier scales. Needs root and a writable v1 cpu hierarchy; anything else is refused up front.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cgroup v1 cpu hierarchy's usual mount point. */
export const defaultCpuCgroupRoot = '/sys/fs/cgroup/cpu';
/** CFS period (µs): the kernel's default, 100 ms. */
const periodUs = 100_000;

export class CpuQuotaError extends Error {
  override readonly name = 'CpuQuotaError';
}

/**
 * Reads a `--server-cpu` value: cores per server process, a number above 0 (at least 0.01: 1 ms of CPU per
 * 100 ms period, the kernel's smallest quota is 1 ms) and at most the machine's `cores`.
 * @example parseServerCpu('0.5', 2) // 0.5
 */
export function parseServerCpu(text: string, cores: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0.01 || value > cores) {
    throw new CpuQuotaError(`--server-cpu takes the cores per server process, from 0.01 to ${cores} (this machine's CPUs), e.g. 0.5; got "${text}"`);
  }
  return value;
}

/** One cgroup per placed process, each with the same quota; close() moves the processes back and removes the groups. */
export class CpuQuotaGroups {
  readonly #root: string;
  readonly #prefix: string;
  readonly #quotaUs: number;
  readonly #groups: string[] = [];

  private constructor(root: string, prefix: string, quotaUs: number) {
    this.#root = root;
    this.#prefix = prefix;
    this.#quotaUs = quotaUs;
  }

  /**
   * Checks that `root` is a cgroup v1 cpu hierarchy this process may write (it creates a group and moves
   * processes into it), then returns the groups for `coresPerProcess`. Throws CpuQuotaError naming what is missing.
   */
  static open(coresPerProcess: number, options: { root?: string; prefix?: string; uid?: number } = {}): CpuQuotaGroups {
    const root = options.root ?? defaultCpuCgroupRoot;
    const uid = options.uid ?? process.getuid?.() ?? -1;
    const why = (reason: string) =>
      new CpuQuotaError(`--server-cpu needs a writable cgroup v1 cpu controller at ${root} (root on Linux; not available in CI or in containers without it): ${reason}`);
    if (uid !== 0) throw why(`this process runs as uid ${uid}, not root`);
    if (!existsSync(join(root, 'cpu.cfs_quota_us')) || !existsSync(join(root, 'cgroup.procs'))) throw why('no cpu.cfs_quota_us / cgroup.procs there');
    try {
      accessSync(root, constants.W_OK);
    } catch (error) {
      throw why(`not writable (${(error as Error).message})`);
    }
    return new CpuQuotaGroups(root, options.prefix ?? `zkesim-bench-${process.pid}`, Math.round(coresPerProcess * periodUs));
  }

  /** The quota of each group (cores). */
  get coresPerProcess(): number {
    return this.#quotaUs / periodUs;
  }

  /** Creates a group with the quota and moves the process `pid` (all its threads) into it; returns the group's path. */
  place(pid: number): string {
    if (!Number.isInteger(pid) || pid < 1) throw new CpuQuotaError(`pid: expected a positive integer, got ${pid}`);
    const group = join(this.#root, `${this.#prefix}-${this.#groups.length + 1}`);
    mkdirSync(group);
    this.#groups.push(group);
    writeFileSync(join(group, 'cpu.cfs_period_us'), String(periodUs));
    writeFileSync(join(group, 'cpu.cfs_quota_us'), String(this.#quotaUs));
    writeFileSync(join(group, 'cgroup.procs'), String(pid));
    return group;
  }

  /** Times the processes of each group were held back by the quota (cpu.stat nr_throttled), in order of place(). */
  throttledPeriods(): number[] {
    return this.stats().map((stat) => stat.throttled);
  }

  /**
   * Per group (in order of place()): the periods in which it had work to run (cpu.stat nr_periods: the kernel
   * counts a period only while the group is active) and those in which the quota held it back (nr_throttled).
   * A group held back in nearly all its periods was limited by its quota; one with many periods left unthrottled
   * waited for work.
   */
  stats(): { periods: number; throttled: number }[] {
    return this.#groups.map((group) => {
      const stat = readFileSync(join(group, 'cpu.stat'), 'utf8');
      return { periods: Number(/nr_periods (\d+)/.exec(stat)?.[1] ?? 0), throttled: Number(/nr_throttled (\d+)/.exec(stat)?.[1] ?? 0) };
    });
  }

  /** Moves any process still in a group back to the root group and removes the groups. */
  close(): void {
    for (const group of this.#groups.splice(0)) {
      if (!existsSync(group)) continue;
      for (const pid of readFileSync(join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(join(this.#root, 'cgroup.procs'), pid);
        } catch (error) {
          // ESRCH: the process ended between the read and the move, nothing left to move.
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
      rmdirSync(group);
    }
  }
}
