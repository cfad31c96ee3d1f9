// The figures every container backend (docker, podman, swarm, containerd) reports from what it
// measured in its last batch: one per-instance memory rule, and one way from per-instance figures
// to the report's metrics and their stats.

import type { BreakdownItem, Metrics } from '../../report/types.js';
import type { StartupSummary } from './startup.js';
import { mean, meanOfMeasured, sampleStats, sumOfMeasured } from './stats.js';

/** What a backend could read of one container's memory; null where it could not. */
export interface ContainerMemoryReading {
  /** PSS of the container's processes (its init and every descendant), and their USS. */
  processPssBytes: number | null;
  processUssBytes: number | null;
  /** PSS and USS of the monitor serving it (containerd shim, conmon). */
  shimPssBytes: number | null;
  shimUssBytes: number | null;
  /** The Docker CLI figure (cgroup usage minus inactive file); null where the engine has none. */
  cliBytes: number | null;
}

/**
 * One container's memory: the PSS of its processes plus its shim's (a forking app's shared pages
 * counted once); where the processes are not visible here, the CLI figure plus the shim's. Unique:
 * their USS. Null where the shim (or every figure) is not visible. Pure.
 */
export function containerMemory(c: ContainerMemoryReading): { perInstance: number | null; unique: number | null; from: 'processes' | 'cgroup' | null } {
  if (c.shimPssBytes === null) return { perInstance: null, unique: null, from: null };
  const unique = c.processUssBytes === null || c.shimUssBytes === null ? null : c.processUssBytes + c.shimUssBytes;
  if (c.processPssBytes !== null) return { perInstance: c.processPssBytes + c.shimPssBytes, unique, from: 'processes' };
  return { perInstance: c.cliBytes === null ? null : c.cliBytes + c.shimPssBytes, unique, from: c.cliBytes === null ? null : 'cgroup' };
}

/**
 * The metrics and stats from the startup summary and the last batch's per-instance figures: means
 * and sums are null when any instance's figure is (or when none was measured). Pure.
 */
export function containerMetrics(
  startup: StartupSummary,
  last: { memory: (number | null)[]; unique: (number | null)[]; disk: (number | null)[]; memorySharedBytes: number | null; diskSharedBytes: number },
): { metrics: Metrics; stats: StartupSummary['stats'] } {
  const measured = last.memory.length > 0;
  const memoryPerInstance = measured ? meanOfMeasured(last.memory) : null;
  const memoryAll = sumOfMeasured(last.memory);
  const diskPerInstance = measured ? meanOfMeasured(last.disk) : null;
  const diskAll = sumOfMeasured(last.disk);
  const metrics: Metrics = {
    ...startup.metrics,
    memorySharedBytes: last.memorySharedBytes,
    memoryPerInstanceBytes: memoryPerInstance,
    memoryUniqueBytes: measured ? meanOfMeasured(last.unique) : null,
    memoryTotalBytes: last.memorySharedBytes !== null && memoryAll !== null ? last.memorySharedBytes + memoryAll : null,
    diskSharedBytes: last.diskSharedBytes,
    diskPerInstanceBytes: diskPerInstance,
    diskTotalBytes: diskAll === null ? null : last.diskSharedBytes + diskAll,
    maxInstances: null,
    hostsNeeded: null,
  };
  const stats = { ...startup.stats };
  if (memoryPerInstance !== null) stats.memoryPerInstanceBytes = sampleStats(last.memory as number[]);
  if (diskPerInstance !== null) stats.diskPerInstanceBytes = sampleStats(last.disk as number[]);
  return { metrics, stats };
}

/**
 * The writable layer's content per scenario file ("modify web /data/x"), mean over the containers
 * where the file was found in the upper dir: what copy-up put there. Pure.
 */
export function perFileItems(containers: readonly { service: string; files: readonly { path: string; mode: string; upperBytes: number | null }[] }[]): BreakdownItem[] {
  const byFile = new Map<string, { mode: string; values: number[] }>();
  for (const container of containers) {
    for (const file of container.files) {
      if (file.upperBytes === null) continue;
      const key = `${container.service} ${file.path}`;
      const entry = byFile.get(key) ?? { mode: file.mode, values: [] };
      entry.values.push(file.upperBytes);
      byFile.set(key, entry);
    }
  }
  return [...byFile.entries()].map(([key, entry]) => ({
    label: `${entry.mode} ${key}`,
    value: mean(entry.values)!,
    unit: 'bytes',
    note: entry.mode === 'modify' || entry.mode === 'append' ? 'whole file copied up, then written' : 'bytes in the writable layer',
  }));
}
