// Real QEMU guests (slow: ~5-8 s per guest under TCG on 2 cores; the file takes about a minute).
// Needs QEMU and the guest kernel (scripts/setup-engines.sh qemu): skipped with a visible reason
// without them, unless ISOBENCH_REQUIRE_ENGINES=1, where a missing engine fails the tests.

import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { completedResult } from '../outcome.js';
import { CleanupStack } from '../../../src/backends/shared/cleanup.js';
import { qemuBackend } from '../../../src/backends/qemu/index.js';
import type { RealRunOptions } from '../../../src/backends/types.js';
import { InterruptedError } from '../../../src/errors.js';
import type { PlatformResult } from '../../../src/report/types.js';
import type { FileWrite } from '../../../src/scenario/types.js';
import { needs } from '../../engines.js';
import { MiB, scenario, service } from '../../model/scenario-fixture.js';

const qemu = await needs('test/backends/qemu/qemu.engine.test.ts', 'qemu');

/** A one-service scenario on a small base image (64 MiB), 256 MiB guests. */
function vmScenario(instances: number, files: FileWrite[], startupMs = 100) {
  return scenario([
    service({
      instances,
      app: { memoryBytes: 16 * MiB, startupMs, files },
      vm: { hypervisor: 'qemu-tcg', memoryBytes: 256 * MiB, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'test-base', sizeBytes: 64 * MiB } },
    }),
  ]);
}

let runCounter = 0;
function options(overrides: Partial<RealRunOptions> = {}): RealRunOptions & { cleanup: CleanupStack } {
  runCounter += 1;
  return {
    runId: `qemutest-${process.pid}-${runCounter}`,
    scale: 1,
    maxInstances: 4,
    repetitions: 1,
    warmup: 0,
    instanceTimeoutMs: 60_000,
    signal: new AbortController().signal,
    cleanup: new CleanupStack(),
    progress: () => {},
    ...overrides,
  } as RealRunOptions & { cleanup: CleanupStack };
}

/** QEMU processes and temp folders of a run, by its run id (folders) and QEMU binary (processes). */
function leftovers(runId: string): { processes: string[]; files: string[] } {
  const files = readdirSync(tmpdir()).filter((name) => name.startsWith(`isobench-qemu-${runId}`));
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    })();
    if (cmdline.includes('qemu-system') && cmdline.includes(`isobench-qemu-${runId}`)) processes.push(`${pid}: ${cmdline}`);
  }
  return { processes, files };
}

function clustersOf(result: PlatformResult): number {
  const overlay = result.breakdown.disk.find((item) => item.label.startsWith('per instance: qcow2 overlay'));
  const data = overlay?.children?.find((item) => item.label.startsWith('data clusters'));
  return (data?.value ?? Number.NaN) / 65536;
}

describe.runIf(qemu.run)(qemu.title('QEMU backend on real guests'), () => {
  let runIds: string[] = [];

  beforeAll(async () => {
    qemu.check();
    await qemuBackend.probe(); // decides (and caches) kvm or tcg before any timed part
  });

  afterEach(() => {
    for (const runId of runIds) expect(leftovers(runId)).toEqual({ processes: [], files: [] });
    runIds = [];
  });

  let oneByte: PlatformResult;

  it('boots a guest and measures boot split, memory and disk, leaving nothing behind', { timeout: 120_000 }, async () => {
    const opts = options();
    runIds.push(opts.runId);
    oneByte = completedResult(await qemuBackend.run(vmScenario(1, [{ path: '/data/one', sizeBytes: 0, writeBytes: 1, mode: 'create' }]), opts));
    expect(opts.cleanup.pending).toBe(0);
    expect(oneByte.state, oneByte.error).toBe('completed');
    expect(oneByte.provenance).toMatchObject({ kind: 'measured', engine: 'qemu', instancesMeasured: 1, repetitions: 1 });
    const accelerator = oneByte.provenance.kind === 'measured' ? oneByte.provenance.accelerator : undefined;
    expect(['kvm', 'tcg']).toContain(accelerator);
    expect(oneByte.profile).toBe(`qemu-${accelerator}`);
    // One instance: first, all, p50 and p99 ready are the same guest, so first == all.
    expect(oneByte.metrics.startupFirstMs).toBeGreaterThan(0);
    expect(oneByte.metrics.startupAllMs).toBe(oneByte.metrics.startupFirstMs);
    expect(oneByte.metrics.maxInstances).toBeNull();
    // The guest holds 16 MiB of app memory, so QEMU's PSS is above that.
    expect(oneByte.metrics.memoryPerInstanceBytes).toBeGreaterThan(16 * MiB);
    expect(oneByte.breakdown.startup.map((item) => item.label)).toEqual(['linked clone (qemu-img create -b)', 'QEMU start', 'firmware (SeaBIOS)', 'kernel', 'init', 'app']);
    expect(oneByte.notes?.[0]).toMatch(new RegExp(`^accelerator ${accelerator}: `));
    expect(oneByte.stats?.startupFirstMs?.samples).toHaveLength(1);
  });

  it('grows a linked clone by whole 64 KiB clusters: 1 byte costs a cluster, 2 clusters + 1 byte cost 3', { timeout: 120_000 }, async () => {
    expect(oneByte?.state).toBe('completed');
    const opts = options();
    runIds.push(opts.runId);
    const bigger = completedResult(await qemuBackend.run(vmScenario(1, [{ path: '/data/one', sizeBytes: 0, writeBytes: 2 * 65536 + 1, mode: 'create' }]), opts));
    expect(bigger.state, bigger.error).toBe('completed');
    for (const result of [oneByte, bigger]) {
      const overlay = result.breakdown.disk.find((item) => item.label.startsWith('per instance: qcow2 overlay'));
      const fresh = overlay?.children?.find((item) => item.label === 'fresh overlay')?.value ?? 0;
      // The overlay file grows from its fresh size in whole clusters (data plus L2/refcount blocks).
      expect(((overlay?.value ?? 0) - fresh) % 65536).toBe(0);
      expect(result.metrics.diskPerInstanceBytes).toBe(overlay?.value);
    }
    // 1 byte: the mount's own writes plus at least the file's one data cluster.
    expect(clustersOf(oneByte)).toBeGreaterThanOrEqual(2);
    // 131073 bytes = 33 blocks of 4 KiB: 3 clusters when aligned, 4 when they straddle a boundary;
    // against the 1-byte file's one cluster that is 2 or 3 more.
    const more = clustersOf(bigger) - clustersOf(oneByte);
    expect(more).toBeGreaterThanOrEqual(2);
    expect(more).toBeLessThanOrEqual(3);
  });

  it('kills a guest that never signals ready at its timeout and reports it', { timeout: 120_000 }, async () => {
    const opts = options({ instanceTimeoutMs: 12_000 });
    runIds.push(opts.runId);
    // app.startup of 10 minutes: the guest boots, then sleeps far past the 12 s timeout.
    const result = completedResult(await qemuBackend.run(vmScenario(1, [], 600_000), opts));
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(/did not signal ready within 12000 ms and was killed/);
    expect(result.metrics.startupFirstMs).toBeNull();
    expect(opts.cleanup.pending).toBe(0);
  });

  it('stops within 10 s of an abort in the middle of a boot, with no QEMU or temp file left', { timeout: 120_000 }, async () => {
    const controller = new AbortController();
    const opts = options({ signal: controller.signal });
    runIds.push(opts.runId);
    let aborted = 0;
    opts.progress = (line) => {
      // Abort 2 s after the measured batch starts: the guests are booting.
      if (line.startsWith('qemu: batch'))
        setTimeout(() => {
          aborted = Date.now();
          controller.abort(new InterruptedError('SIGTERM'));
        }, 2_000);
    };
    const run = qemuBackend.run(vmScenario(2, [], 600_000), opts);
    await expect(run).rejects.toThrow(InterruptedError);
    await opts.cleanup.run();
    expect(Date.now() - aborted).toBeLessThan(10_000);
    expect(opts.cleanup.failures).toEqual([]);
  });
});
