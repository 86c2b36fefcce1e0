// The --server-cpu option: its argument checking and its refusal where no cgroup v1 cpu controller can be
// written (neither needs root); where one can (root on Linux with /sys/fs/cgroup/cpu), a real process is
// placed in a group with the quota and taken out again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuQuotaError, CpuQuotaGroups, defaultCpuCgroupRoot, parseServerCpu } from './cpuQuota.js';

describe('--server-cpu argument', () => {
  it('takes cores per process from 0.01 up to the number of CPUs', () => {
    expect(parseServerCpu('0.5', 2)).toBe(0.5);
    expect(parseServerCpu('2', 2)).toBe(2);
    expect(parseServerCpu('0.01', 2)).toBe(0.01);
  });

  it.each(['', ' ', '0', '-1', '0.001', '3', 'half', 'NaN', 'Infinity'])('refuses "%s" with a message naming the option', (text) => {
    expect(() => parseServerCpu(text, 2)).toThrow(CpuQuotaError);
    expect(() => parseServerCpu(text, 2)).toThrow(/--server-cpu takes the cores per server process, from 0\.01 to 2/);
  });
});

describe('cgroup refusal', () => {
  it('refuses when not root, naming the uid', () => {
    expect(() => CpuQuotaGroups.open(0.5, { uid: 1000 })).toThrow(/writable cgroup v1 cpu controller at \/sys\/fs\/cgroup\/cpu .*uid 1000, not root/);
  });

  it('refuses a folder that is not a cgroup v1 cpu hierarchy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpu-quota-'));
    try {
      expect(() => CpuQuotaGroups.open(0.5, { root: dir, uid: 0 })).toThrow(/no cpu\.cfs_quota_us \/ cgroup\.procs there/);
      expect(() => CpuQuotaGroups.open(0.5, { root: join(dir, 'missing'), uid: 0 })).toThrow(CpuQuotaError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places processes one group each with the quota, and removes the groups (files of a stand-in hierarchy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpu-quota-'));
    try {
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), '-1');
      writeFileSync(join(dir, 'cgroup.procs'), '');
      const groups = CpuQuotaGroups.open(0.25, { root: dir, uid: 0, prefix: 'test' });
      expect(groups.coresPerProcess).toBe(0.25);
      const first = groups.place(4242);
      const second = groups.place(4343);
      expect([first, second]).toEqual([join(dir, 'test-1'), join(dir, 'test-2')]);
      expect(readFileSync(join(first, 'cpu.cfs_quota_us'), 'utf8')).toBe('25000');
      expect(readFileSync(join(first, 'cpu.cfs_period_us'), 'utf8')).toBe('100000');
      expect(readFileSync(join(second, 'cgroup.procs'), 'utf8')).toBe('4343');
      expect(() => groups.place(0)).toThrow(CpuQuotaError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const writable = (() => {
  try {
    CpuQuotaGroups.open(0.5);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!writable)('cgroup v1 cpu controller of this machine (root)', () => {
  it('puts a running process in its own group with the quota, and takes it out again on close', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const groups = CpuQuotaGroups.open(0.5, { prefix: `zkesim-test-${process.pid}` });
    try {
      const group = groups.place(pid);
      expect(readFileSync(join(group, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('50000');
      expect(readFileSync(join(group, 'cgroup.procs'), 'utf8').trim()).toBe(String(pid));
      expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(new RegExp(`cpu[^\\n]*:/zkesim-test-${process.pid}-1`));
      expect(groups.throttledPeriods()).toEqual([0]);
      groups.close();
      expect(existsSync(group)).toBe(false);
      expect(readFileSync(join(defaultCpuCgroupRoot, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
    } finally {
      groups.close();
      child.kill();
    }
  });

  it('counts the periods a busy process had work in and those its quota held it back in', async () => {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    const groups = CpuQuotaGroups.open(0.05, { prefix: `zkesim-test-busy-${process.pid}` });
    try {
      groups.place(busy.pid as number);
      await new Promise((resolve) => setTimeout(resolve, 550));
      const [stat] = groups.stats();
      // A process that always wants a core, capped at 5 ms per 100 ms period, is held back in about every period.
      expect(stat?.periods).toBeGreaterThanOrEqual(3);
      expect(stat?.throttled).toBeGreaterThanOrEqual(Math.max(1, (stat?.periods ?? 0) - 2));
      expect(groups.throttledPeriods()[0]).toBeGreaterThanOrEqual(stat?.throttled ?? 0);
    } finally {
      groups.close();
      busy.kill();
    }
  });
});
