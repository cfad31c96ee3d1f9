import { describe, expect, it } from 'vitest';
import { busyCpus, cpuTimes, cpuWindow } from '../../../src/backends/shared/host-busy.js';

describe('how busy the machine is (/proc/stat)', () => {
  it('sums busy jiffies (user nice system irq softirq steal) and all of them (with idle and iowait)', () => {
    const stat = 'cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\nintr 1\n';
    // busy = 100 + 5 + 50 + 3 + 2 + 10 = 170; total = 170 + 800 + 20 = 990.
    expect(cpuTimes(stat)).toEqual({ busy: 170, total: 990 });
    expect(cpuTimes('no cpu line')).toBeNull();
  });

  it("gives CPUs' worth of busy time between two readings", () => {
    // 60 of 80 jiffies busy on 2 CPUs: 0.75 x 2 = 1.5 CPUs.
    expect(busyCpus({ busy: 100, total: 400 }, { busy: 160, total: 480 }, 2)).toBe(1.5);
    expect(busyCpus({ busy: 100, total: 400 }, { busy: 100, total: 400 }, 2)).toBeNull();
  });
});

describe('a CPU window (this process and the whole machine)', () => {
  it("counts this process's CPU, and the machine's at least as much where it is kept in ns or µs", async () => {
    const window = await cpuWindow();
    // Spin until this process has used 20 ms of CPU (however long that takes on a busy machine).
    const start = process.cpuUsage();
    for (;;) {
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 20_000) break;
    }
    const spent = await window.end();
    expect(spent).not.toBeNull();
    expect(spent!.parentMs).toBeGreaterThanOrEqual(20);
    // /proc/stat counts in 10 ms steps; the cgroup figures are exact enough to hold the parent's.
    if (spent!.source !== 'proc-stat') expect(spent!.machineMs).toBeGreaterThanOrEqual(spent!.parentMs * 0.99);
  });
});
