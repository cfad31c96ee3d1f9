// What an instance's startup is made of: phases, each waiting on one resource, with its source.

import type { PhaseResource } from '../report/types.js';
import type { AppSpec } from '../scenario/types.js';
import { formatBytes, formatRate } from '../units/format.js';
import { forkPhases, type ForkParams } from './app-memory.js';

export type { PhaseResource };

/** One phase of one instance's startup. */
export interface Phase {
  label: string;
  /**
   * Its length alone on an idle host: CPU time for 'cpu', time at the whole bandwidth for 'disk'
   * and 'network', service time in the daemon's queue for 'serial', wall time for 'latency'.
   */
  ms: number;
  resource: PhaseResource;
  /** Where the figure comes from. */
  note: string;
  /** 'serial' only: which FIFO queue (one per daemon); default "daemon". */
  queue?: string;
  /**
   * 'serial' only: the server works on a CPU while it serves (a launching process spawning a child):
   * the service takes its share of the cores, as any CPU phase, and the queue waits for it.
   */
  cpu?: boolean;
  /**
   * 'cpu' (and 'serial' with `cpu`) only: how many processes do the work at once on average (a shell
   * pipeline, a child running beside its parent), default 1. `ms` stays the wall time alone on an
   * idle host; the CPU work is ms x width, and under contention each of its processes gets its share
   * of the cores as any other does.
   */
  width?: number;
  /** Marks the start of the app: a later phase's `untilMs` counts from when this one began. */
  mark?: boolean;
  /**
   * 'latency' only: the phase ends this long after the marked phase began (not before it begins),
   * as the real app sleeps until its declared startup has passed: contention that stretched the
   * work before it is absorbed. `ms` stays its length alone on an idle host.
   */
  untilMs?: number;
}

/** All instances of one service start with the same phases and hold the same memory and disk. */
export interface InstanceTemplate {
  service: string;
  instances: number;
  phases: Phase[];
  /** Memory the instance holds back while it lives, for admission (VMs: guest RAM without overcommit). */
  reservedBytes: number;
  /** Memory it uses on the host while it lives (for the peak over time). */
  memoryBytes: number;
  /** Disk it adds while it lives (writable layer, overlay, copy, files); freed when it ends. */
  diskBytes: number;
  /** How long it lives after it is ready; null: it stays up. */
  lifetimeMs: number | null;
}

/** The benchmark's app script holding app.memory: its wall time alone and the CPU of all its processes. */
export interface ScriptHold {
  wallMs: number;
  cpuMs: number;
}

/** How many processes a phase keeps busy on average: its CPU time over its wall time alone, at least 1. */
export function widthOf(cpuMs: number, wallMs: number): number {
  return wallMs > 0 && cpuMs > wallMs ? cpuMs / wallMs : 1;
}

/** The app script's hold as the catalog gives it. */
export function scriptHold(common: { appScriptHoldMs: { value: number }; appScriptHoldCpuMs: { value: number } }): ScriptHold {
  return { wallMs: common.appScriptHoldMs.value, cpuMs: common.appScriptHoldCpuMs.value };
}

/**
 * The app's own initialisation, as the real backends simulate it: first it faults in its memory
 * (CPU work: it stretches under contention, and by `slowdown` in an emulated guest), then it waits
 * for what is left of `app.startup` (wall time that competes for nothing).
 */
export function appPhases(
  app: Pick<AppSpec, 'memoryBytes' | 'startupMs' | 'fork' | 'heldByScript'>,
  fillBytesPerSec: number,
  slowdown = 1,
  fork?: ForkParams,
  script: ScriptHold = { wallMs: 0, cpuMs: 0 },
): Phase[] {
  const fillMs = (app.memoryBytes / fillBytesPerSec) * 1000 * slowdown;
  // As run, the benchmark's script holds the memory with processes of its own (fork-app holds a forking app's).
  const held: Phase[] =
    app.heldByScript === true && app.memoryBytes > 0 && app.fork === undefined
      ? [
          {
            label: 'app script: its processes holding the memory',
            ms: script.wallMs * slowdown,
            resource: 'cpu',
            width: widthOf(script.cpuMs, script.wallMs),
            mark: true,
            note: `a subshell, busybox dd, head and wc (isobench's app script; model as run only): ${script.wallMs} ms alone, ${script.cpuMs} ms of CPU`,
          },
        ]
      : [];
  // A pre-forked app forks its workers once loaded; they write their share before it is ready.
  const forking = fork === undefined ? [] : forkPhases(app, fork, slowdown);
  const forkMs = forking.reduce((sum, phase) => sum + phase.ms, 0);
  return [
    ...held,
    {
      label: 'app: fill its memory',
      ms: fillMs,
      resource: 'cpu',
      mark: held.length === 0,
      note: `${formatBytes(app.memoryBytes)} at ${formatRate(fillBytesPerSec)}${slowdown === 1 ? '' : ` x${slowdown} guest slowdown`}`,
    },
    ...forking,
    {
      label: 'app: rest of its startup',
      ms: Math.max(0, app.startupMs - (held[0]?.ms ?? 0) - fillMs - forkMs),
      untilMs: app.startupMs,
      resource: 'latency',
      note: `scenario app.startup less the fill${forking.length > 0 ? ' and the forking' : ''}: the app is ready app.startup after it began, or when its CPU work ends if contention made that later (wall time, not CPU-bound)`,
    },
  ];
}

/**
 * Percentiles (each q in [0, 1]) by linear interpolation between the closest ranks at (n - 1) q,
 * as tinybench computes the measured ones, so model and measurement mean the same p50 and p99.
 * Sorts one copy: O(n log n).
 */
export function percentiles(values: Float64Array, qs: number[]): number[] {
  if (values.length === 0) return qs.map(() => 0);
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => {
    const position = (sorted.length - 1) * q;
    const below = sorted[Math.floor(position)] ?? 0;
    const above = sorted[Math.ceil(position)] ?? below;
    return below + (position - Math.floor(position)) * (above - below);
  });
}
