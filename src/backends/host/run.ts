// The host backend: the same app as plain processes (fork/exec of busybox sh), timed in the same
// waves by the shared repetition driver, memory from /proc smaps_rollup (PSS of each instance's
// process group), disk by file sizes.

import { spawn, type ChildProcess } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../errors.js';
import type { BreakdownItem, Metrics, PlatformResult } from '../../report/types.js';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import { abortable, interruption, throwIfAborted } from '../shared/abort.js';
import { appScript } from '../shared/app-script.js';
import { forkAppPath, needsForkApp, readForkApp } from '../shared/fork-app.js';
import { BUSYBOX_PATH } from '../shared/busybox.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { MarkerWatch, withDeadline, type AppEvent } from '../shared/markers.js';
import { listProcesses, sumMemory } from '../shared/proc.js';
import { DECLARED_STARTUP_NOTE, runRepetitions } from '../shared/repetitions.js';
import { startupSummary } from '../shared/startup.js';
import { mean, sampleStats } from '../shared/stats.js';
import { makeRunTempDir } from '../shared/temp.js';
import { waves } from '../shared/waves.js';
import type { RealRunOptions, RunOutcome } from '../types.js';
import { apparentBytes } from '../shared/apparent-bytes.js';
import { cpuWindow, type CpuSpent } from '../shared/host-busy.js';
import { installApp, instanceRoot } from './install.js';

export const HOST_BUSYBOX = BUSYBOX_PATH;

interface Started {
  outcome: InstanceOutcome;
  child: ChildProcess | null;
  root: string;
  done: Promise<AppEvent>;
}

/** What the last batch measured of memory and disk. */
interface LastBatch {
  pssBytes: number[];
  rssBytes: number[];
  /** Per instance: the sum of its processes' unique set sizes (Private_Clean + Private_Dirty). */
  ussBytes: number[];
  diskPerInstanceBytes: number | null;
}

/** Checks that busybox is there (the host backend needs nothing else). */
export async function probeHost(): Promise<Record<string, string | number | boolean | null>> {
  try {
    await access(HOST_BUSYBOX);
  } catch {
    throw new EngineError(`No ${HOST_BUSYBOX} for the host backend: install it with \`sudo scripts/setup-engines.sh docker\` (busybox-static).`);
  }
  return { busybox: HOST_BUSYBOX, platform: process.platform, kernel: release() };
}

/** Runs the scenario (already scaled and capped) as host processes. */
export async function runHost(scenario: Scenario, options: RealRunOptions): Promise<RunOutcome> {
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  // A forking app runs fork-app: fail before anything starts when it is not built.
  if (needsForkApp(scenario.services.map((service) => service.app))) await readForkApp();
  const base = await makeRunTempDir('host', options.runId);
  cleanup.defer(`remove ${base}`, () => rm(base, { recursive: true, force: true }));
  const installDir = join(base, 'install');
  progress(`host: installing the app's files in ${installDir}`);
  const installedBytes = await installApp(installDir, scenario, signal);
  const services = scenario.services.flatMap((service) => Array.from({ length: service.instances }, () => service));
  const sleep = options.appStartup === 'sleep';
  let last: LastBatch | null = null;
  const repetitions = await runRepetitions<BatchCpu | null>({
    backend: 'host',
    instances: services.length,
    options,
    ...(sleep ? {} : { declaredStartupMs: (name: string) => scenario.services.find((s) => s.name === name)?.app.startupMs ?? 0 }),
    runBatch: async ({ index, last: isLast }) => {
      const repDir = join(base, `rep${index}`);
      for (const [i, service] of services.entries()) await instanceRoot(installDir, join(repDir, `i${i}`), service);
      const before = await apparentBytes([installDir, repDir]);
      const started: Started[] = [];
      const unregister = cleanup.defer(`kill host processes of batch ${index}`, () => {
        for (const s of started) killGroup(s.child);
      });
      try {
        const window = await cpuWindow();
        const batchStart = performance.now();
        for (const [wave, members] of waves(services.length, scenario.concurrency).entries()) {
          // One spawn per turn of the event loop, as a supervisor launches its children: spawn() blocks
          // until the child has exec'd, so launching a whole wave in one turn would hold back the
          // spawn and ready events of the first children until the last was launched.
          // The wave is requested at once: each child's start counts from here, so the wait for the
          // parent to launch the children before it is part of it, as the model's serialised spawn is.
          const requestedAt = performance.now();
          const launched: Promise<void>[] = [];
          for (const i of members) {
            const at = { batchStart, requestedAt, wave };
            launched.push(startProcess(services[i]!, join(repDir, `i${i}`), i, at, sleep, options, started));
            await new Promise((resolve) => setImmediate(resolve));
          }
          const settled = await Promise.allSettled(launched);
          if (signal.aborted) throw interruption(signal);
          const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (rejected !== undefined) throw rejected.reason;
          if (options.onInstanceFailure === 'stop' && started.some((s) => s.outcome.state === 'failed')) break;
        }
        const cpu = perInstance(await window.end(), started.length);
        if (isLast) last = await measureLastBatch(started, installDir, repDir, before, options);
        return { outcomes: started.map((s) => s.outcome), extra: cpu };
      } finally {
        await unregister();
        await rm(repDir, { recursive: true, force: true });
      }
    },
  });
  const result = hostResult(
    scenario,
    options,
    repetitions.batches.map((b) => b.outcomes),
    repetitions.batches.flatMap((b) => (b.extra === null ? [] : [b.extra])),
    last,
    installedBytes,
    repetitions.failures,
    sleep,
  );
  if (repetitions.engineError !== undefined) {
    return repetitions.batches.length > 0
      ? { state: 'partial', result: { ...result, state: 'partial', error: repetitions.engineError.message }, error: repetitions.engineError }
      : { state: 'failed', error: repetitions.engineError };
  }
  return { state: 'completed', result };
}

/** The CPU one batch used per instance, from its first spawn until every instance was ready (or failed). */
export interface BatchCpu {
  /** This process (the launching parent): spawns and reading the children's lines. */
  parentMs: number;
  /** Everything else on the machine: the children's processes (and whatever else ran meanwhile). */
  othersMs: number;
}

function perInstance(spent: CpuSpent | null, instances: number): BatchCpu | null {
  if (spent === null || instances === 0) return null;
  return { parentMs: spent.parentMs / instances, othersMs: Math.max(0, spent.machineMs - spent.parentMs) / instances };
}

/** What the batches' CPU says, for the notes. Pure. */
export function cpuNotes(cpu: readonly BatchCpu[]): string[] {
  if (cpu.length === 0) return [];
  const parent = mean(cpu.map((c) => c.parentMs))!;
  const others = mean(cpu.map((c) => c.othersMs))!;
  return [
    `cpu per instance, first spawn -> all ready (mean of ${cpu.length} batch(es)): the launching parent ${parent.toFixed(2)} ms, the children's processes ${others.toFixed(2)} ms (the machine's CPU time less the parent's: anything else running counts too)`,
  ];
}

/** Waits for the writes, then measures each ready instance's process group and the files' growth. */
async function measureLastBatch(started: Started[], installDir: string, repDir: string, before: number, options: RealRunOptions): Promise<LastBatch> {
  const ready = started.filter((s) => s.outcome.state === 'ready');
  await abortable(Promise.all(ready.map((s) => withDeadline(s.done, options.instanceTimeoutMs, () => ({ kind: 'ended', at: 0 }) as AppEvent))), options.signal);
  const processes = await listProcesses();
  const perGroup = await Promise.all(ready.map((s) => sumMemory(processes.filter((p) => p.pgrp === s.child?.pid).map((p) => p.pid))));
  const after = await apparentBytes([installDir, repDir]);
  return {
    pssBytes: perGroup.map((m) => m.pssBytes),
    rssBytes: perGroup.map((m) => m.rssBytes),
    ussBytes: perGroup.map((m) => m.privateBytes),
    diskPerInstanceBytes: ready.length === 0 ? null : (after - before) / ready.length,
  };
}

/** The result; metrics this backend could not measure are null with a note saying why. Pure. */
export function hostResult(
  scenario: Scenario,
  options: Pick<RealRunOptions, 'scale'>,
  batches: InstanceOutcome[][],
  cpu: BatchCpu[],
  last: LastBatch | null,
  installedBytes: number,
  failures: string[],
  slept: boolean,
): PlatformResult {
  const startup = startupSummary(batches, [
    { label: 'spawn queue', note: 'requested with its wave, waiting for the parent to launch the children before it (one spawn at a time)' },
    { label: 'fork/exec', note: 'spawn of busybox sh until the child runs' },
    { label: 'app', note: slept ? 'child running to ready marker (app memory, app startup slept)' : 'child running to ready marker (app memory), plus the declared app startup' },
  ]);
  const memory = last !== null && last.pssBytes.length > 0 ? last : null;
  const perInstanceMemory = memory === null ? null : mean(memory.pssBytes);
  const disk = last?.diskPerInstanceBytes ?? null;
  const metrics: Metrics = {
    ...startup.metrics,
    memorySharedBytes: null,
    memoryPerInstanceBytes: perInstanceMemory,
    memoryUniqueBytes: memory === null ? null : mean(memory.ussBytes),
    memoryTotalBytes: memory === null ? null : memory.pssBytes.reduce((a, b) => a + b, 0),
    diskSharedBytes: installedBytes,
    diskPerInstanceBytes: disk,
    diskTotalBytes: disk === null ? null : installedBytes + disk * scenario.totalInstances,
    maxInstances: null,
    hostsNeeded: null,
  };
  const stats = { ...startup.stats };
  if (memory !== null) stats.memoryPerInstanceBytes = sampleStats(memory.pssBytes);
  if (memory !== null) stats.memoryUniqueBytes = sampleStats(memory.ussBytes);
  const memoryBreakdown: BreakdownItem[] =
    memory === null
      ? []
      : [
          {
            label: 'app',
            value: perInstanceMemory!,
            unit: 'bytes',
            note: `per instance: PSS of its process group (sh, ${scenario.services.some((s) => s.app.fork) ? 'fork-app and its workers' : 'dd'} holding app.memory, sleep); RSS ${Math.round(mean(memory.rssBytes)!)}; unique (USS) ${Math.round(mean(memory.ussBytes)!)}`,
          },
        ];
  return {
    platform: 'process',
    backend: 'host',
    state: failures.length > 0 ? 'partial' : 'completed',
    ...(failures.length > 0 ? { error: failures.join('; ') } : {}),
    profile: 'process',
    provenance: {
      kind: 'measured',
      engine: 'host',
      engineVersion: null,
      scale: options.scale,
      instancesMeasured: scenario.totalInstances,
      instancesRequested: scenario.totalInstances,
      repetitions: batches.length,
    },
    metrics,
    breakdown: {
      startup: startup.breakdown,
      memory: memoryBreakdown,
      disk: [
        { label: 'app files installed once', value: installedBytes, unit: 'bytes', note: 'unique layers and image files written once under a temp dir' },
        ...(disk === null ? [] : [{ label: 'writes', value: disk, unit: 'bytes' as const, note: 'per instance: growth of all file sizes (shared inodes once) / instances; modify rewrites in place' }]),
      ],
      capacity: [],
    },
    stats,
    timeline: startup.timeline,
    notes: [
      `startup: each figure is the mean over ${batches.length} measured batch(es) of that batch's figure (first, all, p50 and p99 of its starts, interpolated between ranks)`,
      ...(slept ? [] : [DECLARED_STARTUP_NOTE]),
      "memory: PSS of each instance's process group from /proc/PID/smaps_rollup (a forking app's workers included); unique: the sum of their USS (Private_Clean + Private_Dirty)",
      'memory shared: not measured (null): the page cache of the installed files the processes share is not attributed here',
      ...(memory === null ? ['memory per instance: not measured (no instance was ready in the last batch)'] : []),
      "disk: the app is installed once; each instance's image files are hard links to it, so a modify writes in place",
      ...cpuNotes(cpu),
    ],
  };
}

/** Spawns one instance in its own process group and waits for its ready marker. */
async function startProcess(
  service: ServiceSpec,
  root: string,
  index: number,
  { batchStart, requestedAt, wave }: { batchStart: number; requestedAt: number; wave: number },
  sleep: boolean,
  options: RealRunOptions,
  started: Started[],
): Promise<void> {
  const app = sleep ? service.app : { ...service.app, startupMs: 0 };
  const script = appScript(app, { busybox: HOST_BUSYBOX, scratchDir: root, rootDir: root, ...(app.fork === undefined ? {} : { forkApp: forkAppPath() }) });
  const t0 = performance.now();
  const child = spawn(HOST_BUSYBOX, ['sh', '-c', script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry: Started = {
    outcome: { state: 'failed', index, service: service.name, id: null, reason: 'exited', message: 'not started' },
    child,
    root,
    done: Promise.resolve({ kind: 'ended', at: 0 }),
  };
  started.push(entry);
  const spawned = await new Promise<number | Error>((resolve) => {
    child.once('spawn', () => resolve(performance.now()));
    child.once('error', (error) => resolve(error));
  });
  if (spawned instanceof Error) {
    entry.outcome = { state: 'failed', index, service: service.name, id: null, reason: 'exited', message: spawned.message };
    return;
  }
  child.stderr?.resume();
  const watch = new MarkerWatch(child.stdout!);
  entry.done = watch.done;
  const event = await abortable(
    withDeadline<AppEvent | 'timeout'>(watch.ready, options.instanceTimeoutMs - (spawned - requestedAt), () => 'timeout'),
    options.signal,
  );
  const id = String(child.pid);
  if (event === 'timeout') {
    entry.outcome = { state: 'failed', index, service: service.name, id, reason: 'timeout', message: `no ready marker within ${Math.round(options.instanceTimeoutMs / 1000)} s` };
  } else if (event.kind !== 'ready') {
    const reason = event.kind === 'failed' ? event.reason : `exited before ready (${watch.tail.join(' | ')})`;
    entry.outcome = { state: 'failed', index, service: service.name, id, reason: event.kind === 'failed' ? 'app-failed' : 'exited', message: reason };
  } else {
    entry.outcome = {
      state: 'ready',
      index,
      service: service.name,
      id,
      phases: { 'spawn queue': t0 - requestedAt, 'fork/exec': spawned - t0, app: event.at - spawned },
      requestedAtMs: requestedAt - batchStart,
      startupMs: event.at - requestedAt,
      readyAtMs: event.at - batchStart,
      wave,
    };
  }
}

/** SIGKILLs a child's whole process group (its app and what it started); gone already is fine. */
export function killGroup(child: ChildProcess | null): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
