// Measured guests -> the report's PlatformResult. Pure: the same records give the same result, so
// the arithmetic is tested without QEMU.

import { emptyMetrics, type Accelerator, type BreakdownItem, type Metrics, type MetricKey, type PlatformResult, type ResultState, type SampleStats } from '../../report/types.js';
import type { CloneKind } from '../../scenario/types.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { startupSummary } from '../shared/startup.js';
import { mean, meanOfMeasured, sampleStats, sumOfMeasured } from '../shared/stats.js';
import type { GuestOutcome, GuestTimeline } from './guest.js';

/** One guest of one batch, as measured. */
export interface InstanceRecord {
  service: string;
  /** Batch-relative ms when its clone was started (its start command). */
  startAtMs: number;
  /** Batch-relative ms when QEMU was executed; the timeline counts from here. */
  execAtMs: number;
  clone: { kind: CloneKind; createMs: number; initialBytes: number };
  outcome: GuestOutcome;
  /** After shutdown; null when the guest did not complete. */
  disk: { bytes: number; clusterBytes: number | null; clustersAllocated: number | null } | null;
}

/** One batch: every instance of the scenario, started in waves. */
export interface BatchRecord {
  instances: InstanceRecord[];
  /** Host page cache of the shared files once every guest of the batch was ready (null: no fincore, not measured). */
  pageCache: { label: string; bytes: number }[] | null;
}

/** What the whole run knew besides the batches. */
export interface RunContext {
  accelerator: Accelerator;
  acceleratorReason: string;
  engineVersion: string;
  kernelVersion: string;
  scale: number;
  instancesRequested: number;
  base: { allocatedBytes: number; sizeBytes: number; note: string | null };
  guestRamBytes: number;
  vcpus: number;
  /** Guests started at once (for the waves of the timeline). */
  concurrency: number;
  notes: string[];
}

type MemoryDiskKey = 'memorySharedBytes' | 'memoryPerInstanceBytes' | 'memoryTotalBytes' | 'diskSharedBytes' | 'diskPerInstanceBytes' | 'diskTotalBytes';

/** Per-batch memory and disk figures; null where this batch could not measure one (or no guest completed). */
export function batchMetrics(batch: BatchRecord, baseBytes: number): Record<MemoryDiskKey, number | null> {
  const done = batch.instances.filter((instance) => instance.outcome.state === 'completed');
  const memories = done.map(instanceMemoryBytes);
  const disks = done.map((instance) => instance.disk?.bytes ?? null);
  const shared = batch.pageCache === null ? null : batch.pageCache.reduce((sum, file) => sum + file.bytes, 0);
  const memoryAll = sumOfMeasured(memories);
  const diskAll = sumOfMeasured(disks);
  return {
    memorySharedBytes: shared,
    memoryPerInstanceBytes: meanOfMeasured(memories),
    memoryTotalBytes: shared === null || memoryAll === null ? null : shared + memoryAll,
    diskSharedBytes: baseBytes,
    diskPerInstanceBytes: meanOfMeasured(disks),
    diskTotalBytes: diskAll === null ? null : baseBytes + diskAll,
  };
}

/** A guest's memory cost on the host: QEMU's PSS at ready; null when PSS could not be read (RSS is another figure). */
export function instanceMemoryBytes(instance: InstanceRecord): number | null {
  if (instance.outcome.state !== 'completed') return null;
  return instance.outcome.memory.qemu?.pssBytes ?? null;
}

/** A guest as the shared startup summary sees it: clone, then QEMU to ready; failures as failures. */
export function instanceOutcome(instance: InstanceRecord, index: number, concurrency: number): InstanceOutcome {
  const o = instance.outcome;
  if (o.state !== 'completed' || o.timeline.readyMs === null) {
    return { state: 'failed', index, service: instance.service, id: null, reason: o.state === 'timeout' ? 'timeout' : 'exited', message: describeFailure(instance, index) };
  }
  const readyAtMs = instance.execAtMs + o.timeline.readyMs;
  return {
    state: 'ready',
    index,
    service: instance.service,
    id: `guest ${index + 1}`,
    phases: { clone: instance.execAtMs - instance.startAtMs, 'QEMU to ready': o.timeline.readyMs },
    requestedAtMs: instance.startAtMs,
    startupMs: readyAtMs - instance.startAtMs,
    readyAtMs,
    wave: Math.floor(index / Math.max(1, concurrency)),
  };
}

/** Builds the result (stats included). One policy with the other backends: each metric is the mean of its per-batch figures. */
export function buildResult(batches: readonly BatchRecord[], context: RunContext): PlatformResult {
  const startup = startupSummary(
    batches.map((batch) => batch.instances.map((instance, i) => instanceOutcome(instance, i, context.concurrency))),
    [
      { label: 'clone', note: 'start command to exec of QEMU (disk clone)' },
      { label: 'QEMU to ready', note: "exec of QEMU to the guest's ready marker" },
    ],
  );
  const perBatch = batches.map((batch) => batchMetrics(batch, context.base.allocatedBytes)).filter((_, b) => batches[b]!.instances.some((i) => i.outcome.state === 'completed'));
  const metrics: Metrics = { ...emptyMetrics(), ...startup.metrics };
  const stats: Partial<Record<MetricKey, SampleStats>> = { ...startup.stats };
  const unmeasured: string[] = [];
  for (const key of ['memorySharedBytes', 'memoryPerInstanceBytes', 'memoryTotalBytes', 'diskSharedBytes', 'diskPerInstanceBytes', 'diskTotalBytes'] as const) {
    const values = perBatch.map((m) => m[key]);
    const value = meanOfMeasured(values);
    metrics[key] = value;
    if (value !== null) stats[key] = sampleStats(values as number[]);
    else if (perBatch.length > 0) unmeasured.push(key);
  }
  const all = batches.flatMap((batch) => batch.instances);
  const done = all.filter((instance) => instance.outcome.state === 'completed');
  const failures = batches.flatMap((batch, b) =>
    batch.instances.flatMap((instance, i) => (instance.outcome.state === 'completed' ? [] : [`${batches.length > 1 ? `batch ${b + 1}: ` : ''}${describeFailure(instance, i)}`])),
  );
  const state: ResultState = done.length === 0 ? 'failed' : failures.length > 0 ? 'partial' : 'completed';
  const tcg = context.accelerator === 'tcg';
  const notes = [
    `accelerator ${context.accelerator}: ${context.acceleratorReason}`,
    ...(tcg ? ['tcg is software emulation: these guest timings are not KVM figures; hold them against the qemu-tcg profile'] : []),
    `QEMU ${context.engineVersion}, guest kernel ${context.kernelVersion}, busybox initramfs, ${context.vcpus} vCPU(s), ${context.guestRamBytes} B guest RAM (${context.accelerator})`,
    `each metric is the mean over ${perBatch.length} measured batch(es) of that batch's figure (p50/p99 interpolated between ranks); memory per instance is QEMU's PSS at ready (${context.accelerator})`,
    'the guest sleeps its declared app startup for real (its clock runs under the accelerator)',
    ...unmeasured.map((key) =>
      key.startsWith('memoryShared') || key === 'memoryTotalBytes'
        ? `${key}: not measured (null): no host page cache figure (fincore missing: install util-linux), or no QEMU PSS`
        : `${key}: not measured (null): a guest's ${key.startsWith('memory') ? 'PSS (smaps_rollup)' : 'overlay size'} could not be read`,
    ),
    ...(context.base.note ? [context.base.note] : []),
    ...context.notes,
    ...failures,
  ];
  return {
    platform: 'vm',
    backend: 'qemu',
    state,
    ...(state === 'completed' ? {} : { error: failures.length > 0 ? `${failures.length} of ${all.length} guests did not complete: ${failures[0]}` : 'no guest completed' }),
    profile: tcg ? 'qemu-tcg' : 'qemu-kvm',
    provenance: {
      kind: 'measured',
      engine: 'qemu',
      engineVersion: context.engineVersion,
      accelerator: context.accelerator,
      scale: context.scale,
      instancesMeasured: batches[0]?.instances.length ?? 0,
      instancesRequested: context.instancesRequested,
      repetitions: perBatch.length,
    },
    metrics,
    breakdown: {
      startup: startupBreakdown(done, context.accelerator),
      memory: memoryBreakdown(batches, done, context.accelerator),
      disk: diskBreakdown(done, context),
      capacity: [],
    },
    stats,
    timeline: startup.timeline,
    notes,
  };
}

/** One line per guest that did not complete: which, how, and the last console output. */
export function describeFailure(instance: InstanceRecord, index: number): string {
  const outcome = instance.outcome;
  const who = `guest ${index + 1} (${instance.service})`;
  const tail = (text: string): string => (text === '' ? '' : `; console: ${text.split('\n').slice(-3).join(' | ')}`);
  switch (outcome.state) {
    case 'timeout':
      return outcome.phase === 'ready'
        ? `${who} did not signal ready within ${outcome.afterMs} ms and was killed${tail(outcome.console)}`
        : `${who} did not finish its writes and power off within ${outcome.afterMs} ms of ready and was killed${tail(outcome.console)}`;
    case 'failed':
      return `${who} failed: ${outcome.reason}${tail(outcome.console)}`;
    case 'aborted':
      return `${who} was stopped by an interrupt`;
    case 'completed':
      return `${who} completed`;
  }
}

function startupBreakdown(done: InstanceRecord[], accelerator: Accelerator): BreakdownItem[] {
  if (done.length === 0) return [];
  const span = (from: (i: InstanceRecord) => number | null, to: (i: InstanceRecord) => number | null): number | null => {
    const spans = done.map((i) => {
      const a = from(i);
      const b = to(i);
      return a === null || b === null ? null : b - a;
    });
    return meanOfMeasured(spans);
  };
  const t =
    (key: keyof GuestTimeline) =>
    (i: InstanceRecord): number | null =>
      i.outcome.state === 'completed' ? i.outcome.timeline[key] : null;
  const exec = (): number => 0;
  const of = `mean of ${done.length} guest(s), ${accelerator}`;
  const kind = done[0]?.clone.kind ?? 'linked';
  const items: BreakdownItem[] = [
    {
      label: kind === 'linked' ? 'linked clone (qemu-img create -b)' : 'full clone (copy of the base)',
      value: mean(done.map((i) => i.execAtMs - i.startAtMs))!,
      unit: 'ms',
      note: `start command to exec of QEMU; ${of}`,
    },
  ];
  const firmwareStart = span(exec, t('firmwareStartMs'));
  const firmware = span(t('firmwareStartMs'), t('firmwareEndMs'));
  const kernel = span(t('firmwareEndMs'), t('initMs'));
  if (firmwareStart !== null && firmware !== null && kernel !== null) {
    items.push(
      { label: 'QEMU start', value: firmwareStart, unit: 'ms', note: `exec to SeaBIOS's first byte on the debug port; ${of}` },
      { label: 'firmware (SeaBIOS)', value: firmware, unit: 'ms', note: `first to last firmware debug byte; ${of}` },
      { label: 'kernel', value: kernel, unit: 'ms', note: `firmware hand-over to /init's first marker (decompress, boot, unpack initramfs); ${of}` },
    );
  } else {
    const early = span(exec, t('initMs'));
    if (early !== null) items.push({ label: 'QEMU start, firmware and kernel', value: early, unit: 'ms', note: `exec to /init's first marker (no firmware log); ${of}` });
  }
  const init = span(t('initMs'), t('appMs'));
  const app = span(t('appMs'), t('readyMs'));
  if (init !== null) items.push({ label: 'init', value: init, unit: 'ms', note: `mount proc and dev, load virtio modules, mount the ext4 disk; ${of}` });
  if (app !== null) items.push({ label: 'app', value: app, unit: 'ms', note: `hold app.memory in a tmpfs, wait app.startup, report ready; ${of}` });
  return items;
}

function memoryBreakdown(batches: readonly BatchRecord[], done: InstanceRecord[], accelerator: Accelerator): BreakdownItem[] {
  const items: BreakdownItem[] = [];
  const cache = batches.at(-1)?.pageCache;
  if (cache) {
    items.push({
      label: 'shared: host page cache',
      value: sum(cache.map((file) => file.bytes)),
      unit: 'bytes',
      note: 'fincore of the files every guest reads, once all guests of the last batch were ready',
      children: cache.map((file) => ({ label: file.label, value: file.bytes, unit: 'bytes' as const })),
    });
  }
  const ready = done.flatMap((i) => (i.outcome.state === 'completed' ? [i.outcome.memory] : []));
  if (ready.length === 0) return items;
  const avg = (pick: (m: (typeof ready)[number]) => number | null): number | null => meanOfMeasured(ready.map(pick));
  const pss = avg((m) => m.qemu?.pssBytes ?? null);
  const rss = avg((m) => m.qemu?.rssBytes ?? null);
  const touched = avg((m) => m.guestRamTouchedBytes);
  const used = avg((m) => (m.guestTotalBytes === null || m.guestFreeBytes === null ? null : m.guestTotalBytes - m.guestFreeBytes));
  const configured = ready[0]?.guestRamBytes ?? 0;
  const children: BreakdownItem[] = [];
  if (touched !== null) {
    children.push({
      label: 'guest RAM touched',
      value: touched,
      unit: 'bytes',
      note: `host RSS of the ${configured} B guest RAM block: the pages the host backs, not the configured size`,
      ...(used === null ? {} : { children: [{ label: 'in use as the guest sees it', value: used, unit: 'bytes' as const, note: 'MemTotal - MemFree in the guest at ready' }] }),
    });
    if (rss !== null) {
      children.push({
        label: accelerator === 'tcg' ? 'QEMU itself (incl. TCG code cache)' : 'QEMU itself',
        value: rss - touched,
        unit: 'bytes',
        note: 'RSS outside the guest RAM block: binary, libraries, heap, device state',
      });
    }
  }
  if (pss === null) return items;
  items.push({
    label: 'per instance: QEMU process',
    value: pss,
    unit: 'bytes',
    note: `PSS from /proc/PID/smaps_rollup at ready (RSS ${rss === null ? 'n/a' : Math.round(rss)} B); mean of ${ready.length} guest(s), ${accelerator}`,
    children,
  });
  return items;
}

function diskBreakdown(done: InstanceRecord[], context: RunContext): BreakdownItem[] {
  const items: BreakdownItem[] = [
    {
      label: 'shared: base image',
      value: context.base.allocatedBytes,
      unit: 'bytes',
      note: `raw ext4 image of ${context.base.sizeBytes} B, every block allocated (fallocate), stored once`,
    },
  ];
  const measured = done.flatMap((i) => (i.disk === null ? [] : [{ ...i, disk: i.disk }]));
  const bytes = mean(measured.map((i) => i.disk.bytes));
  if (bytes === null) return items;
  const kind = measured[0]?.clone.kind ?? 'linked';
  if (kind === 'full') {
    items.push({ label: 'per instance: full copy', value: bytes, unit: 'bytes', note: `cp --sparse=never of the base; mean of ${measured.length} guest(s)` });
    return items;
  }
  const cluster = measured[0]?.disk.clusterBytes ?? null;
  const initial = mean(measured.map((i) => i.clone.initialBytes))!;
  const clusters = meanOfMeasured(measured.map((i) => i.disk.clustersAllocated));
  if (cluster === null || clusters === null) {
    items.push({
      label: 'per instance: qcow2 overlay',
      value: bytes,
      unit: 'bytes',
      note: `qemu-img info actual-size after shutdown; mean of ${measured.length} guest(s); clusters not read (qemu-img map failed)`,
    });
    return items;
  }
  items.push({
    label: 'per instance: qcow2 overlay',
    value: bytes,
    unit: 'bytes',
    note: `qemu-img info actual-size after shutdown; mean of ${measured.length} guest(s)`,
    children: [
      { label: 'fresh overlay', value: initial, unit: 'bytes', note: 'header, L1 and refcount tables, before boot' },
      {
        label: `data clusters (${clusters} x ${cluster} B)`,
        value: clusters * cluster,
        unit: 'bytes',
        note: `clusters the guest's writes allocated (qemu-img map): the mount's superblock and journal, inodes, and the files; a 1-byte write costs a whole ${cluster} B cluster`,
      },
      { label: 'qcow2 metadata growth', value: bytes - initial - clusters * cluster, unit: 'bytes', note: 'L2 and refcount blocks allocated for the new clusters' },
    ],
  });
  return items;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
