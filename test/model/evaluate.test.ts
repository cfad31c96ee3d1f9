import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog, withOverrides } from '../../src/profiles/catalog.js';
import type { PlatformResult } from '../../src/report/types.js';
import { GiB, MiB, scenario, service } from './scenario-fixture.js';

const catalog = builtinCatalog();
const byPlatform = (results: PlatformResult[], platform: string): PlatformResult => {
  const result = results.find((r) => r.platform === platform);
  if (!result) throw new Error(`no ${platform} result`);
  return result;
};

describe('one web instance (64 MiB app, 100 ms, layers 120 + 10 MiB) on the server preset', () => {
  const results = evaluateScenario(scenario(), catalog);

  it('process: fork/exec 1 ms + app 100 ms; memory app + page tables + kernel', () => {
    const { metrics } = byPlatform(results, 'process');
    // startup 1 + 100 = 101 ms. Memory per instance: 64 MiB + 64/1024 x 2 MiB = 128 KiB + 256 KiB = 67502080.
    // Shared: page cache 0.1 x 130 MiB = 13631488. Disk: 130 MiB installed once, no writes.
    expect(metrics).toMatchObject({
      startupFirstMs: 101,
      startupP99Ms: 101,
      memoryPerInstanceBytes: 64 * MiB + 128 * 1024 + 256 * 1024,
      memorySharedBytes: 13631488,
      diskSharedBytes: 130 * MiB,
      diskPerInstanceBytes: 0,
    });
  });

  it('container: create 11 + rootfs 2 x 0.6 + start serialised 28 + start CPU 30.6 + runc 33.4 + app 100 = 204.2 ms', () => {
    const { metrics } = byPlatform(results, 'container');
    // Memory per instance: app 64 MiB + page tables 128 KiB + shim 6 MiB + kernel 1 MiB = 71 MiB + 128 KiB.
    // Shared: daemons 80 MiB + page cache 13 MiB = 93 MiB. Disk: layers once, 130 MiB; nothing written.
    // Fit: (32 GiB - 1 GiB reserve - 93 MiB) / 71.125 MiB = 31651 / 71.125 = 445.0 -> 445.
    expect(metrics.startupFirstMs).toBeCloseTo(204.2, 9);
    expect(metrics).toMatchObject({
      memoryPerInstanceBytes: 71 * MiB + 128 * 1024,
      memorySharedBytes: 93 * MiB,
      memoryTotalBytes: 93 * MiB + 71 * MiB + 128 * 1024,
      diskSharedBytes: 130 * MiB,
      diskPerInstanceBytes: 0,
      maxInstances: 445,
    });
  });

  it('vm (qemu-kvm, 1 GiB, direct kernel boot, linked clone, its default distro kernel)', () => {
    const { metrics, fit } = byPlatform(results, 'vm');
    // Startup: clone 30 + VMM 99 + firmware 35 + distro kernel (900 - 99 - 35 = 766) + init 0 + app 100 = 1030 ms.
    // Guest touched: distro kernel 60 MiB + struct pages 1 GiB / 64 = 16 MiB + other per-RAM
    //   roundUp(0.0113 x 1 GiB, 4 KiB) = 12136448 -> 91828224; + app 64 MiB + page cache 13631488 = 172568576.
    // VMM 26 MiB (1 vCPU: no per-vCPU extra) = 27262976; EPT 172568576 / 512 = 337048 (rounded).
    // Per instance 172568576 + 27262976 + 337048 = 200168600. Shared: host cache of boot reads 16 MiB.
    // Fit (reserved, no overcommit): 1 GiB + 26 MiB + EPT 2 MiB = 1052 MiB; (31 GiB - 16 MiB) / 1052 MiB = 30.2 -> 30.
    expect(metrics).toMatchObject({
      startupFirstMs: 1030,
      memoryPerInstanceBytes: 200168600,
      memorySharedBytes: 16 * MiB,
      diskSharedBytes: 2 * GiB,
      diskPerInstanceBytes: 200 * 1024,
      maxInstances: 30,
    });
    expect(fit).toEqual({ fits: true, limitedBy: null, instancesThatFit: 1 });
  });
});

describe("a start's serialised part comes before its CPU work", () => {
  it('2 containers at once on 1 CPU: the queue staggers the CPU work, so the first is ready at 40 ms, not with the last', () => {
    // Only start's parts: serialised 10 ms, CPU 20 ms (every other cost 0), app 0, on 1 CPU.
    // A: queue 0-10, CPU alone 10-20 (10 of 20 ms), shared with B from 20 (half rate): done at 40.
    // B: queue 10-20, CPU shared 20-40 (10 ms), alone 40-50: done at 50.
    // (Serialised after the CPU work, both would share the CPU 0-40 and queue: ready at 50 and 60.)
    const zero = (path: string) => ({ [path]: { value: 0, unit: 'ms' as const, source: 'test' } });
    const r = 'runtimes.docker-runc';
    const overrides = {
      ...zero(`${r}.createMs`),
      ...zero(`${r}.createSerialMs`),
      ...zero(`${r}.layerSetupMsPerLayer`),
      ...zero(`${r}.runtimeMs`),
      [`${r}.startSerialMs`]: { value: 10, unit: 'ms' as const, source: 'test' },
      [`${r}.startMs`]: { value: 20, unit: 'ms' as const, source: 'test' },
    };
    const base = scenario([service({ instances: 2, app: { memoryBytes: 0, startupMs: 0, files: [] } })]);
    const oneCpu = { ...base, host: { ...base.host, cpus: 1 }, concurrency: 2 };
    const { metrics } = byPlatform(evaluateScenario(oneCpu, withOverrides(catalog, overrides, 'test')), 'container');
    expect(metrics.startupFirstMs).toBeCloseTo(40, 6);
    expect(metrics.startupAllMs).toBeCloseTo(50, 6);
  });
});

describe('the parent spawns its children on a CPU, one at a time', () => {
  it('2 processes on 1 CPU: the second spawn shares the core with the first child, so it is ready at 8 and 10 ms', () => {
    // fork/exec 5 ms: 2 ms the parent serves (on the CPU), 3 ms the child's own exec (CPU); app 0.
    // A: spawned 0-2 (alone), its child's 3 ms from 2; B's spawn from 2 shares the core: its 2 ms
    // take 4, done at 6 (A's child has had 2 ms). A needs 1 more at half rate: ready at 8; B's child
    // had 1 ms by 8, then 2 ms alone: ready at 10. (A spawn off the CPU would give 6 and 8.)
    const overrides = {
      'process.forkExecMs': { value: 5, unit: 'ms' as const, source: 'test' },
      'process.spawnSerialMs': { value: 2, unit: 'ms' as const, source: 'test' },
    };
    const base = scenario([service({ instances: 2, app: { memoryBytes: 0, startupMs: 0, files: [] } })]);
    const oneCpu = { ...base, host: { ...base.host, cpus: 1 }, concurrency: 2 };
    const { metrics } = byPlatform(evaluateScenario(oneCpu, withOverrides(catalog, overrides, 'test')), 'process');
    expect(metrics.startupFirstMs).toBeCloseTo(8, 6);
    expect(metrics.startupAllMs).toBeCloseTo(10, 6);
  });
});

describe('copy-on-write across platforms: api writes a 2 MiB log and modifies 1 B of a 100 MiB library', () => {
  const files = [
    { path: '/var/log/api.log', sizeBytes: 0, writeBytes: 2 * MiB, mode: 'create' as const },
    { path: '/usr/lib/libbig.so', sizeBytes: 100 * MiB, writeBytes: 1, mode: 'modify' as const },
  ];
  const results = evaluateScenario(scenario([service({ instances: 3, app: { memoryBytes: 96 * MiB, startupMs: 250, files } })]), catalog);

  it('process: 2 MiB log; the modify is in place', () => {
    expect(byPlatform(results, 'process').metrics.diskPerInstanceBytes).toBe(2 * MiB);
  });
  it('container: 2 MiB log + the whole 100 MiB library copied up = 102 MiB per container', () => {
    expect(byPlatform(results, 'container').metrics).toMatchObject({ diskPerInstanceBytes: 102 * MiB, diskTotalBytes: 130 * MiB + 3 * 102 * MiB });
  });
  it('linked VM: overlay 200 KiB + log 32 clusters + library 1 cluster + 2 x 2 metadata clusters', () => {
    // 204800 + (32 + 1 + 4) x 65536 = 204800 + 2424832 = 2629632.
    expect(byPlatform(results, 'vm').metrics.diskPerInstanceBytes).toBe(2629632);
  });
});

describe('host page cache of what guests boot from', () => {
  const vmOf = (clone: 'linked' | 'full', boot: 'kernel' | 'systemd') =>
    evaluateScenario(scenario([service({ instances: 3, vm: { hypervisor: 'qemu-kvm', memoryBytes: 1 * GiB, vcpus: 1, clone, boot, image: { id: 'deb', sizeBytes: 2 * GiB } } })]), catalog)[2]!.metrics;
  it('a direct kernel boot reads host files every guest shares, even with full clones: 16 MiB once', () => {
    expect(vmOf('full', 'kernel').memorySharedBytes).toBe(16 * MiB);
    expect(vmOf('linked', 'kernel').memorySharedBytes).toBe(16 * MiB);
  });
  it('a systemd boot reads its disk: cached once for linked clones (120 MiB), per VM for full copies (0 shared)', () => {
    expect(vmOf('linked', 'systemd').memorySharedBytes).toBe(120 * MiB);
    expect(vmOf('full', 'systemd').memorySharedBytes).toBe(0);
  });
});

describe('cold cache and sharing', () => {
  it('cold adds the layer pull (compressed at network rate, then extract) before the first container', () => {
    const warm = byPlatform(evaluateScenario(scenario(), catalog), 'container').metrics.startupFirstMs ?? 0;
    const cold = byPlatform(evaluateScenario(scenario(undefined, { cache: 'cold' }), catalog), 'container').metrics.startupFirstMs ?? 0;
    // 130 MiB x (29.8 / 78) = 52077095 B at 125 MB/s = 416.6 ms; 130 MiB at min(800, 100) MB/s = 1363.1 ms.
    expect(cold - warm).toBeCloseTo((Math.round(130 * MiB * (29.8 / 78)) / 125e6) * 1000 + ((130 * MiB) / 100e6) * 1000, 6);
  });

  it('KSM moves 88% of the guest kernel/OS pages of identical QEMU guests to shared, once (Kata CI)', () => {
    const base = scenario([service({ instances: 4 })]);
    const plain = byPlatform(evaluateScenario(base, catalog), 'vm').metrics;
    const merged = byPlatform(evaluateScenario({ ...base, host: { ...base.host, ksm: true } }, catalog), 'vm').metrics;
    // mergeable = 0.88 x guest kernel 91828224 (see above) = 80808837 per VM; 4 VMs pay it once: saves 3 x 80808837.
    expect((plain.memoryTotalBytes ?? 0) - (merged.memoryTotalBytes ?? 0)).toBe(3 * 80808837);
  });
});
