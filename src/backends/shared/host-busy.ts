// How busy the machine is with work that is not ours: CPUs' worth of non-idle time over a short
// window, from /proc/stat (Linux). A real run samples it as it begins, so a miss can say the
// machine was busy.

import { readFile } from 'node:fs/promises';

/** Jiffies spent busy and in all, summed over CPUs, from the "cpu" line of /proc/stat. Pure. */
export function cpuTimes(stat: string): { busy: number; total: number } | null {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  // user nice system idle iowait irq softirq steal (guest time is inside user already).
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** CPUs' worth of busy time between two /proc/stat readings on a machine with `cpus` CPUs. Pure. */
export function busyCpus(before: { busy: number; total: number }, after: { busy: number; total: number }, cpus: number): number | null {
  const total = after.total - before.total;
  if (total <= 0) return null;
  return ((after.busy - before.busy) / total) * cpus;
}

/** Samples the machine for `windowMs`; null where /proc/stat is not there. */
export async function sampleBusyCpus(cpus: number, windowMs = 250): Promise<number | null> {
  const read = async () => cpuTimes(await readFile('/proc/stat', 'utf8').catch(() => ''));
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await read();
  return before === null || after === null ? null : busyCpus(before, after, cpus);
}

/** Where machineCpuMs read the machine's CPU time, and how fine its steps are. */
export interface MachineCpu {
  ms: number;
  source: 'cpuacct' | 'cgroup2' | 'proc-stat';
}

/**
 * CPU time every process on the machine has used so far, in ms: the root cgroup's usage where the
 * kernel keeps it in ns (cgroup v1 cpuacct.usage) or µs (cgroup v2 cpu.stat usage_usec), else the
 * busy jiffies of /proc/stat (10 ms steps: sum many starts before dividing). Null: none readable.
 */
export async function machineCpuMs(): Promise<MachineCpu | null> {
  const v1 = Number((await readFile('/sys/fs/cgroup/cpuacct/cpuacct.usage', 'utf8').catch(() => '')).trim());
  if (v1 > 0) return { ms: v1 / 1e6, source: 'cpuacct' };
  const v2 = /^usage_usec (\d+)$/m.exec(await readFile('/sys/fs/cgroup/cpu.stat', 'utf8').catch(() => ''));
  if (v2 !== null) return { ms: Number(v2[1]) / 1e3, source: 'cgroup2' };
  const times = cpuTimes(await readFile('/proc/stat', 'utf8').catch(() => ''));
  return times === null ? null : { ms: times.busy * 10, source: 'proc-stat' };
}

/** CPU spent over a window, in ms: this process's (the launching parent) and the whole machine's (this process included). */
export interface CpuSpent {
  parentMs: number;
  /** With /proc/stat in 10 ms steps: sum many windows before taking the parent's share out. */
  machineMs: number;
  source: MachineCpu['source'];
}

/** Starts a CPU window now; `end()` says what was spent since (null when the machine's CPU time is not readable). */
export async function cpuWindow(): Promise<{ end: () => Promise<CpuSpent | null> }> {
  const machine0 = await machineCpuMs();
  const parent0 = process.cpuUsage();
  return {
    end: async () => {
      const parent = process.cpuUsage(parent0);
      const machine1 = await machineCpuMs();
      if (machine0 === null || machine1 === null) return null;
      return { parentMs: (parent.user + parent.system) / 1000, machineMs: machine1.ms - machine0.ms, source: machine1.source };
    },
  };
}
