import { describe, expect, it } from 'vitest';
import type { GuestOutcome } from '../../../src/backends/qemu/guest.js';
import { batchMetrics, buildResult, type InstanceRecord, type RunContext } from '../../../src/backends/qemu/result.js';

const MiB = 1024 * 1024;

function completed(readyMs: number, pssBytes: number): GuestOutcome {
  return {
    state: 'completed',
    timeline: { firmwareStartMs: 100, firmwareEndMs: 300, initMs: 4300, appMs: 4800, readyMs, writtenMs: readyMs + 100, exitMs: readyMs + 200 },
    memory: { qemu: { rssBytes: pssBytes + MiB, pssBytes, privateBytes: pssBytes }, guestRamBytes: 256 * MiB, guestRamTouchedBytes: 100 * MiB, guestTotalBytes: 200 * MiB, guestFreeBytes: 150 * MiB },
  };
}

function instance(startAtMs: number, readyMs: number, pssBytes: number, diskBytes: number): InstanceRecord {
  return {
    service: 'web',
    startAtMs,
    execAtMs: startAtMs + 20,
    clone: { kind: 'linked', createMs: 20, initialBytes: 200_704 },
    outcome: completed(readyMs, pssBytes),
    disk: { bytes: diskBytes, clusterBytes: 65536, clustersAllocated: 4 },
  };
}

const context: RunContext = {
  accelerator: 'tcg',
  acceleratorReason: 'no /dev/kvm',
  engineVersion: '7.2',
  kernelVersion: '6.1',
  scale: 0.1,
  instancesRequested: 10,
  base: { allocatedBytes: 64 * MiB, sizeBytes: 64 * MiB, note: null },
  guestRamBytes: 256 * MiB,
  vcpus: 1,
  concurrency: 1,
  notes: [],
};

describe('batchMetrics', () => {
  it('sums memory and disk over the guests', () => {
    const batch = { instances: [instance(0, 5000, 200 * MiB, 524_288), instance(5020, 6000, 220 * MiB, 589_824)], pageCache: [{ label: 'kernel', bytes: 16 * MiB }] };
    expect(batchMetrics(batch, 64 * MiB)).toEqual({
      memorySharedBytes: 16 * MiB,
      memoryPerInstanceBytes: 210 * MiB,
      memoryTotalBytes: 16 * MiB + 420 * MiB,
      diskSharedBytes: 64 * MiB,
      diskPerInstanceBytes: (524_288 + 589_824) / 2,
      diskTotalBytes: 64 * MiB + 524_288 + 589_824,
    });
  });

  it('leaves shared memory null (not 0) when the page cache was not measured (no fincore)', () => {
    const batch = { instances: [instance(0, 5000, 200 * MiB, 524_288)], pageCache: null };
    const metrics = batchMetrics(batch, 64 * MiB);
    expect(metrics.memorySharedBytes).toBeNull();
    expect(metrics.memoryTotalBytes).toBeNull();
    // What was measured stays: 200 MiB PSS.
    expect(metrics.memoryPerInstanceBytes).toBe(200 * MiB);
  });

  it("leaves memory per instance null when QEMU's PSS could not be read, never its RSS nor 0", () => {
    const noPss = instance(0, 5000, 200 * MiB, 524_288);
    if (noPss.outcome.state === 'completed') noPss.outcome.memory.qemu = { rssBytes: 201 * MiB, pssBytes: null, privateBytes: null };
    const metrics = batchMetrics({ instances: [noPss], pageCache: [] }, 64 * MiB);
    expect(metrics.memoryPerInstanceBytes).toBeNull();
    expect(metrics.memoryTotalBytes).toBeNull();
  });
});

describe('startup figures', () => {
  it('times ready from the batch start and interpolates p50 and p99 between ranks', () => {
    // Guest A: starts at 0, exec at 20, ready 5000 after exec -> ready at 5020, startup 5020.
    // Guest B: starts at 5020 (second wave), exec at 5040, ready 6000 after -> at 11040, startup 6020.
    // p50 of [5020, 6020] = 5020 + 0.5 x 1000 = 5520; p99 = 5020 + 0.99 x 1000 = 6010.
    const result = buildResult([{ instances: [instance(0, 5000, 200 * MiB, 524_288), instance(5020, 6000, 220 * MiB, 589_824)], pageCache: [] }], context);
    expect(result.metrics).toMatchObject({ startupFirstMs: 5020, startupAllMs: 11040, startupP50Ms: 5520, startupP99Ms: 6010 });
    // The timeline of the last batch: A requested at 0, ready at 5020; B requested at 5020, ready at 11040.
    expect(result.timeline?.map((t) => [t.requestedMs, t.readyMs])).toEqual([
      [0, 5020],
      [5020, 11040],
    ]);
  });

  it('says which metrics it could not measure', () => {
    const result = buildResult([{ instances: [instance(0, 5000, 200 * MiB, 524_288)], pageCache: null }], context);
    expect(result.metrics.memorySharedBytes).toBeNull();
    expect(result.notes?.some((note) => note.startsWith('memorySharedBytes: not measured (null)'))).toBe(true);
  });
});

describe('buildResult', () => {
  it('reports a partial result with the failed guest named and the accelerator in the first note', () => {
    const hung: InstanceRecord = {
      ...instance(0, 0, 0, 0),
      outcome: { state: 'timeout', phase: 'ready', afterMs: 12_000, timeline: completed(0, 0).timeline, console: '' },
      disk: null,
    };
    const result = buildResult([{ instances: [instance(0, 5000, 200 * MiB, 524_288), hung], pageCache: null }], context);
    expect(result.state).toBe('partial');
    expect(result.error).toBe('1 of 2 guests did not complete: guest 2 (web) did not signal ready within 12000 ms and was killed');
    expect(result.notes?.[0]).toBe('accelerator tcg: no /dev/kvm');
    expect(result.profile).toBe('qemu-tcg');
    expect(result.provenance).toMatchObject({ kind: 'measured', accelerator: 'tcg', scale: 0.1, instancesMeasured: 2, instancesRequested: 10 });
    expect(result.metrics.startupFirstMs).toBe(5020);
    // One measured batch: its figure is the one sample.
    expect(result.stats?.startupFirstMs?.samples).toEqual([5020]);
    // Startup split of guest A: clone 20, QEMU start 100, firmware 200, kernel 4000, init 500, app 200.
    expect(result.breakdown.startup.map((item) => item.value)).toEqual([20, 100, 200, 4000, 500, 200]);
    // Overlay 524288 B = fresh 200704 + 4 clusters (262144) + 61440 of qcow2 metadata.
    expect(result.breakdown.disk[1]?.children?.map((item) => item.value)).toEqual([200_704, 262_144, 61_440]);
  });

  it('reports a failed result with null metrics when no guest completed', () => {
    const result = buildResult([{ instances: [], pageCache: null }], context);
    expect(result.state).toBe('failed');
    expect(Object.values(result.metrics).every((value) => value === null)).toBe(true);
  });
});
