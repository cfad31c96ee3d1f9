// Measured guests -> the report's PlatformResult. Pure: the same records give the same result, so
// the arithmetic is tested without QEMU.

import { emptyMetrics, type Accelerator, type BreakdownItem, type Metrics, type MetricKey, type PlatformResult, type ResultState } from '../../report/types.js';
import type { CloneKind } from '../../scenario/types.js';
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
  /** Host page cache of the shared files once every guest of the batch was ready (null: no fincore). */
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
  notes: string[];
}

type BatchMetrics = Record<Exclude<MetricKey, 'maxInstances' | 'hostsNeeded'>, number>;

/** Per-batch figures, or null when no guest of the batch completed. */
export function batchMetrics(batch: BatchRecord, baseBytes: number): BatchMetrics | null {
  const done = batch.instances.filter((instance) => instance.outcome.state === 'completed');
  if (done.length === 0) return null;
  const readyAt = done.map((instance) => instance.execAtMs + (instance.outcome.timeline.readyMs ?? 0));
  const startups = done.map((instance, i) => (readyAt[i] ?? 0) - instance.startAtMs);
  const memories = done.map(instanceMemoryBytes);
  const disks = done.map((instance) => instance.disk?.bytes ?? 0);
  const shared = (batch.pageCache ?? []).reduce((sum, file) => sum + file.bytes, 0);
  return {
    startupFirstMs: Math.min(...readyAt),
    startupAllMs: Math.max(...readyAt),
    startupP50Ms: nearestRank(startups, 0.5),
    startupP99Ms: nearestRank(startups, 0.99),
    memorySharedBytes: shared,
    memoryPerInstanceBytes: mean(memories),
    memoryTotalBytes: shared + sum(memories),
    diskSharedBytes: baseBytes,
    diskPerInstanceBytes: mean(disks),
    diskTotalBytes: baseBytes + sum(disks),
  };
}

/** A guest's memory cost on the host: QEMU's PSS at ready (RSS where PSS is unavailable). */
export function instanceMemoryBytes(instance: InstanceRecord): number {
  if (instance.outcome.state !== 'completed') return 0;
  const qemu = instance.outcome.memory.qemu;
  return qemu?.pssBytes ?? qemu?.rssBytes ?? 0;
}

/** The p-th value of sorted samples by the nearest-rank method (p50 of [1,2,3,4] is 2). */
export function nearestRank(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

/** Median of per-batch values: the figure a metric reports. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Builds the result; `stats` are computed by the caller (tinybench) from `samplesByMetric`. */
export function buildResult(batches: readonly BatchRecord[], context: RunContext): {
  result: Omit<PlatformResult, 'stats'>;
  samplesByMetric: Partial<Record<MetricKey, number[]>>;
} {
  const perBatch = batches.map((batch) => batchMetrics(batch, context.base.allocatedBytes)).filter((m): m is BatchMetrics => m !== null);
  const samplesByMetric: Partial<Record<MetricKey, number[]>> = {};
  const metrics: Metrics = emptyMetrics();
  if (perBatch.length > 0) {
    for (const key of Object.keys(perBatch[0] ?? {}) as (keyof BatchMetrics)[]) {
      const samples = perBatch.map((m) => m[key]);
      samplesByMetric[key] = samples;
      metrics[key] = median(samples);
    }
  }
  const all = batches.flatMap((batch) => batch.instances);
  const done = all.filter((instance) => instance.outcome.state === 'completed');
  const failures = batches.flatMap((batch, b) =>
    batch.instances.flatMap((instance, i) =>
      instance.outcome.state === 'completed' ? [] : [`${batches.length > 1 ? `batch ${b + 1}: ` : ''}${describeFailure(instance, i)}`],
    ),
  );
  const state: ResultState = done.length === 0 ? 'failed' : failures.length > 0 ? 'partial' : 'completed';
  const tcg = context.accelerator === 'tcg';
  const notes = [
    `accelerator ${context.accelerator}: ${context.acceleratorReason}`,
    ...(tcg ? ['tcg is software emulation: these guest timings are not KVM figures; hold them against the qemu-tcg profile'] : []),
    `QEMU ${context.engineVersion}, guest kernel ${context.kernelVersion}, busybox initramfs, ${context.vcpus} vCPU(s), ${context.guestRamBytes} B guest RAM (${context.accelerator})`,
    `each metric is the median of ${perBatch.length} measured batch(es); memory per instance is QEMU's PSS at ready (${context.accelerator})`,
    ...(context.base.note ? [context.base.note] : []),
    ...context.notes,
    ...failures,
  ];
  return {
    result: {
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
      notes,
    },
    samplesByMetric,
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
    return spans.some((s) => s === null) ? null : mean(spans as number[]);
  };
  const t = (key: keyof GuestTimeline) => (i: InstanceRecord): number | null =>
    i.outcome.state === 'completed' ? i.outcome.timeline[key] : null;
  const exec = (): number => 0;
  const of = `mean of ${done.length} guest(s), ${accelerator}`;
  const kind = done[0]?.clone.kind ?? 'linked';
  const items: BreakdownItem[] = [
    {
      label: kind === 'linked' ? 'linked clone (qemu-img create -b)' : 'full clone (copy of the base)',
      value: mean(done.map((i) => i.execAtMs - i.startAtMs)),
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
    items.push({ label: 'QEMU start, firmware and kernel', value: span(exec, t('initMs')) ?? 0, unit: 'ms', note: `exec to /init's first marker (no firmware log); ${of}` });
  }
  items.push(
    { label: 'init', value: span(t('initMs'), t('appMs')) ?? 0, unit: 'ms', note: `mount proc and dev, load virtio modules, mount the ext4 disk; ${of}` },
    { label: 'app', value: span(t('appMs'), t('readyMs')) ?? 0, unit: 'ms', note: `hold app.memory in a tmpfs, wait app.startup, report ready; ${of}` },
  );
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
  const avg = (pick: (m: (typeof ready)[number]) => number | null): number | null => {
    const values = ready.map(pick);
    return values.some((v) => v === null) ? null : mean(values as number[]);
  };
  const pss = avg((m) => m.qemu?.pssBytes ?? m.qemu?.rssBytes ?? null) ?? 0;
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
  const measured = done.filter((i) => i.disk !== null);
  if (measured.length === 0) return items;
  const kind = measured[0]?.clone.kind ?? 'linked';
  const bytes = mean(measured.map((i) => i.disk?.bytes ?? 0));
  if (kind === 'full') {
    items.push({ label: 'per instance: full copy', value: bytes, unit: 'bytes', note: `cp --sparse=never of the base; mean of ${measured.length} guest(s)` });
    return items;
  }
  const cluster = measured[0]?.disk?.clusterBytes ?? 65536;
  const initial = mean(measured.map((i) => i.clone.initialBytes));
  const clusters = mean(measured.map((i) => i.disk?.clustersAllocated ?? 0));
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

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}
