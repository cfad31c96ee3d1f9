// The host backend: the same app as plain processes (fork/exec of busybox sh), timed in the same
// waves, memory from /proc smaps_rollup (PSS of each instance's process group), disk by file sizes.

import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../errors.js';
import type { BreakdownItem, Metrics, PlatformResult } from '../../report/types.js';
import { scenarioAsRun } from '../../scenario/as-run.js';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import type { RealRunOptions } from '../types.js';
import { abortable, interruption, throwIfAborted } from './abort.js';
import { appScript } from './app-script.js';
import { describeFailures, type InstanceOutcome } from './instances.js';
import { apparentBytes, installApp, instanceRoot } from './install.js';
import { MarkerWatch, withDeadline, type AppEvent } from './markers.js';
import { addRepetition, mean, startupPart, type StartupSamples } from './measured-result.js';
import { listProcesses, sumMemory } from './proc.js';
import { sampleStats } from './sample-stats.js';
import { waves } from './waves.js';

export const HOST_BUSYBOX = '/bin/busybox';

/** Temp dirs of host runs start with this, then the pid (so `isobench clean` finds them and spares live runs). */
export const HOST_TEMP_PREFIX = 'isobench-host-';

interface Started {
  outcome: InstanceOutcome;
  child: ChildProcess | null;
  root: string;
  done: Promise<AppEvent>;
}

/** Checks that busybox is there (the host backend needs nothing else). */
export async function probeHost(): Promise<Record<string, string | number | boolean | null>> {
  try {
    await access(HOST_BUSYBOX);
  } catch {
    throw new EngineError(`No ${HOST_BUSYBOX} for the host backend: install it with \`sudo scripts/setup-engines.sh docker\` (busybox-static).`);
  }
  return { busybox: HOST_BUSYBOX, platform: process.platform, kernel: (await import('node:os')).release() };
}

/** Runs the scenario as host processes. */
export async function runHost(scenarioAsGiven: Scenario, options: RealRunOptions): Promise<PlatformResult> {
  const { scenario, notes: asRunNotes } = scenarioAsRun(scenarioAsGiven, { scale: 1, maxInstances: options.maxInstances });
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  const base = await mkdtemp(join(tmpdir(), `${HOST_TEMP_PREFIX}${process.pid}-${options.runId.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  cleanup.defer(`remove ${base}`, () => rm(base, { recursive: true, force: true }));
  const installDir = join(base, 'install');
  progress(`host: installing the app's files in ${installDir}`);
  const installedBytes = await installApp(installDir, scenario, signal);
  const services = scenario.services.flatMap((service) => Array.from({ length: service.instances }, () => service));
  const samples: StartupSamples = {
    firstReadyMs: [],
    allReadyMs: [],
    instanceMs: [],
    phases: [
      { label: 'fork/exec', note: 'spawn of busybox sh until the child runs', samples: [] },
      { label: 'app', note: 'child running to ready marker (app memory, app startup)', samples: [] },
    ],
  };
  const failures: string[] = [];
  let memory: { perInstance: number[]; rss: number[] } = { perInstance: [], rss: [] };
  let disk = { perInstance: 0, measured: false };
  let repetitions = 0;
  const total = options.warmup + options.repetitions;
  for (let rep = 0; rep < total; rep += 1) {
    throwIfAborted(signal);
    const measured = rep >= options.warmup;
    progress(`host: ${measured ? `batch ${rep - options.warmup + 1}/${options.repetitions}` : `warm-up ${rep + 1}/${options.warmup}`} of ${services.length} process(es)`);
    const repDir = join(base, `rep${rep}`);
    for (const [index, service] of services.entries()) await instanceRoot(installDir, join(repDir, `i${index}`), service);
    const before = await apparentBytes([installDir, repDir]);
    const started: Started[] = [];
    const killAll = (): void => {
      for (const s of started) killGroup(s.child);
    };
    const unregister = cleanup.defer(`kill host processes of batch ${rep}`, killAll);
    try {
      const batchStart = performance.now();
      for (const wave of waves(services.length, scenario.concurrency)) {
        const settled = await Promise.allSettled(
          wave.map((index) => startProcess(services[index]!, join(repDir, `i${index}`), index, batchStart, options, started)),
        );
        if (signal.aborted) throw interruption(signal);
        const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (rejected !== undefined) throw rejected.reason;
        if (options.onInstanceFailure === 'stop' && started.some((s) => s.outcome.state === 'failed')) break;
      }
      const outcomes = started.map((s) => s.outcome);
      const readyAt = outcomes.flatMap((o) => (o.state === 'ready' ? [o.readyAtMs] : []));
      if (measured) {
        addRepetition(samples, outcomes, readyAt.length ? Math.min(...readyAt) : null, readyAt.length ? Math.max(...readyAt) : null);
        repetitions += 1;
        failures.push(...describeFailures(outcomes).map((text) => `batch ${rep - options.warmup + 1}: ${text}`));
      }
      if (rep === total - 1) {
        const ready = started.filter((s) => s.outcome.state === 'ready');
        await abortable(Promise.all(ready.map((s) => withDeadline(s.done, options.instanceTimeoutMs, () => ({ kind: 'ended', at: 0 }) as AppEvent))), signal);
        const processes = await listProcesses();
        const perGroup = await Promise.all(
          ready.map((s) => sumMemory(processes.filter((p) => p.pgrp === s.child?.pid).map((p) => p.pid))),
        );
        memory = { perInstance: perGroup.map((m) => m.pssBytes), rss: perGroup.map((m) => m.rssBytes) };
        const after = await apparentBytes([installDir, repDir]);
        disk = { perInstance: ready.length === 0 ? 0 : (after - before) / ready.length, measured: ready.length > 0 };
      }
    } finally {
      await unregister();
      await rm(repDir, { recursive: true, force: true });
    }
    if (failures.length > 0 && options.onInstanceFailure === 'stop') break;
  }
  const startup = await startupPart(samples);
  const measuredMemory = memory.perInstance.length > 0;
  const metrics: Metrics = {
    startupFirstMs: startup.metrics.startupFirstMs ?? null,
    startupAllMs: startup.metrics.startupAllMs ?? null,
    startupP50Ms: startup.metrics.startupP50Ms ?? null,
    startupP99Ms: startup.metrics.startupP99Ms ?? null,
    memorySharedBytes: 0,
    memoryPerInstanceBytes: measuredMemory ? mean(memory.perInstance) : null,
    memoryTotalBytes: measuredMemory ? memory.perInstance.reduce((a, b) => a + b, 0) : null,
    diskSharedBytes: installedBytes,
    diskPerInstanceBytes: disk.measured ? disk.perInstance : null,
    diskTotalBytes: disk.measured ? installedBytes + disk.perInstance * scenario.totalInstances : null,
    maxInstances: null,
    hostsNeeded: null,
  };
  const stats = { ...startup.stats };
  if (measuredMemory) stats.memoryPerInstanceBytes = await sampleStats(memory.perInstance);
  const memoryBreakdown: BreakdownItem[] = measuredMemory
    ? [{ label: 'app', value: mean(memory.perInstance), unit: 'bytes', note: `per instance: PSS of its process group (sh, dd holding app.memory, sleep); RSS ${Math.round(mean(memory.rss))}` }]
    : [];
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
      instancesRequested: scenarioAsGiven.totalInstances,
      repetitions,
    },
    metrics,
    breakdown: {
      startup: startup.breakdown,
      memory: memoryBreakdown,
      disk: [
        { label: 'app files installed once', value: installedBytes, unit: 'bytes', note: 'unique layers and image files written once under a temp dir' },
        ...(disk.measured
          ? [{ label: 'writes', value: disk.perInstance, unit: 'bytes' as const, note: 'per instance: growth of all file sizes (shared inodes once) / instances; modify rewrites in place' }]
          : []),
      ],
      capacity: [],
    },
    stats,
    notes: [
      ...asRunNotes,
      `startup metrics are means over ${repetitions} measured batch(es) after warm-up; stats by tinybench`,
      'memory: PSS of each instance\'s process group from /proc/PID/smaps_rollup; shared 0: no daemon, and the app reads no installed file',
      'disk: the app is installed once; each instance\'s image files are hard links to it, so a modify writes in place',
    ],
  };
}

/** Spawns one instance in its own process group and waits for its ready marker. */
async function startProcess(
  service: ServiceSpec,
  root: string,
  index: number,
  batchStart: number,
  options: RealRunOptions,
  started: Started[],
): Promise<void> {
  const script = appScript(service.app, { busybox: HOST_BUSYBOX, scratchDir: root, rootDir: root });
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
    withDeadline<AppEvent | 'timeout'>(watch.ready, options.instanceTimeoutMs - (spawned - t0), () => 'timeout'),
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
      phases: { 'fork/exec': spawned - t0, app: event.at - spawned },
      startupMs: event.at - t0,
      readyAtMs: event.at - batchStart,
    };
  }
}

function killGroup(child: ChildProcess | null): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
