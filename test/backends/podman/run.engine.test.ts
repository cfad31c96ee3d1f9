// The podman backend on this machine's Podman (test/engines.ts 'podman': skipped with the reason
// when it is not installed, failed under ISOBENCH_REQUIRE_ENGINES=1). Each test starts its own API
// service through the backend and checks it is gone afterwards. Small sizes keep it short.

import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPodmanBackend, podmanBackend } from '../../../src/backends/podman/index.js';
import { podmanServicePids } from '../../../src/backends/podman/service.js';
import { connectService, openService } from '../../../src/backends/podman/session.js';
import { RUN_LABEL } from '../../../src/backends/shared/docker-api/reap.js';
import { PODMAN_DISK_NOTES } from '../../../src/backends/shared/docker-api/result.js';
import { ensureImages } from '../../../src/backends/shared/docker-images.js';
import { layerEntries } from '../../../src/backends/shared/image-archive.js';
import { archiveBytes } from '../../../src/backends/shared/tar.js';
import { CleanupStack } from '../../../src/backends/shared/cleanup.js';
import { needs } from '../../engines.js';
import { podmanContainers } from '../../reliability/harness.js';
import { completedResult } from '../outcome.js';
import { KiB, MiB, scenario, service, runOptions } from '../docker/fixtures.js';

const podman = await needs('test/backends/podman/run.engine.test.ts', 'podman');
const runPrefix = `test-podman-${process.pid}-${Date.now()}`;

/** Services this process started (their socket folder is named isobench-podman-<our pid>-). */
async function ourServices(): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  const ours: number[] = [];
  for (const pid of await podmanServicePids()) {
    if ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes(`isobench-podman-${process.pid}-`)) ours.push(pid);
  }
  return ours;
}

async function ourTempFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(`isobench-podman-${process.pid}-`));
}

describe.runIf(podman.run)(podman.title('podman backend on this machine'), () => {
  beforeAll(podman.check);
  afterAll(async () => {
    const service = await openService(process.env, 'test-after');
    try {
      const engine = await connectService(service);
      for (const c of await engine.listContainers(RUN_LABEL)) if (c.labels[RUN_LABEL]?.startsWith(runPrefix)) await engine.removeContainer(c.id);
    } finally {
      if (service.ours) await service.stop();
    }
  });

  it('probe names engine Podman, its version, the OCI runtime and its version, and leaves no service running', { timeout: 60_000 }, async () => {
    const record = await podmanBackend.probe();
    expect(record.engine).toBe('Podman');
    expect(record.engineVersion).toMatch(/^\d+\.\d+\.\d+/);
    // podman info here: OCI runtime crun, cgroups v1, overlay storage.
    expect(record.ociRuntime).toBe('crun');
    expect(record.ociRuntimeVersion).toMatch(/^crun version \d/);
    expect(record.conmonVersion).toMatch(/^conmon version \d/);
    expect(record.storageDriver).toBe('overlay');
    expect(await ourServices()).toEqual([]);
    expect(await ourTempFolders()).toEqual([]);
  });

  it('measures a small run end to end on Podman, with honest notes, and leaves nothing behind', { timeout: 90_000 }, async () => {
    const runId = `${runPrefix}-small`;
    const opts = runOptions(runId, { repetitions: 2, warmup: 1 });
    const small = scenario('small', [
      service(
        'web',
        2,
        [
          ['t-pm-base', 3 * MiB],
          ['t-pm-web', 1 * MiB],
        ],
        { memoryBytes: 8 * MiB, files: [{ path: '/var/log/web.log', sizeBytes: 0, writeBytes: 64 * KiB, mode: 'create' }] },
      ),
    ]);
    const result = completedResult(await podmanBackend.run(small, opts));
    // The service runs until the cleanup registry runs.
    expect((await ourServices()).length).toBe(1);
    await opts.cleanup.run();
    expect(opts.cleanup.failures).toEqual([]);

    expect(result.state).toBe('completed');
    expect(result.backend).toBe('podman');
    expect(result.profile).toBe('podman-crun');
    expect(result.provenance).toMatchObject({ kind: 'measured', engine: 'podman', runtime: 'crun', instancesMeasured: 2, repetitions: 2 });
    for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms', 'memoryPerInstanceBytes', 'memorySharedBytes', 'diskPerInstanceBytes'] as const) {
      expect(result.metrics[key], key).toBeGreaterThan(0);
    }
    // The app holds 8 MiB resident: its processes' PSS (plus conmon's) is at least that.
    expect(result.metrics.memoryPerInstanceBytes).toBeGreaterThanOrEqual(8 * MiB);
    const memory = result.breakdown.memory;
    expect(memory.find((item) => item.label === 'shim')?.note).toContain('conmon');
    expect(memory.find((item) => item.label === 'daemon')?.note).toMatch(/PSS of podman\[\d+\]/);
    // memory.stat read from cgroupfs (Podman's stats give none): the cgroup children are there.
    expect(memory.find((item) => item.label === 'app')?.children?.map((c) => c.label)).toEqual(expect.arrayContaining(['cgroup: anonymous', 'cgroup: page cache']));
    // Each container wrote a 64 KiB file; Podman's own /etc/mtab -> /proc/mounts symlink adds 12 bytes.
    expect(result.metrics.diskPerInstanceBytes).toBe(64 * KiB + 12);
    expect(result.notes ?? []).toEqual(expect.arrayContaining(PODMAN_DISK_NOTES));
    expect((result.notes ?? []).some((note) => note.startsWith('engine: Podman '))).toBe(true);
    expect(result.notes).toContain("memory breakdown: Podman's stats API reported usage and limit only; memory.stat was read from the container's cgroup on this host");
    expect((result.notes ?? []).filter((note) => note.includes('not measured (null)'))).toEqual([]);
    // Nothing left: no container of the run, no service, no temp socket folder.
    expect(podmanContainers(`${RUN_LABEL}=${runId}`)).toEqual([]);
    expect(await ourServices()).toEqual([]);
    expect(await ourTempFolders()).toEqual([]);
  });

  it('an app that cannot hold its memory under the limit fails as such (Podman does not flag the OOM kill), not as a slow start', { timeout: 60_000 }, async () => {
    const runId = `${runPrefix}-oom`;
    const opts = runOptions(runId);
    // 64 MiB app in a container limited to 64 MiB - 56 MiB = 8 MiB: the dd holding its memory is
    // killed. Docker flags that OOMKilled; Podman 4.3 with conmon 2.1.6 on cgroup v1 does not (checked
    // with `podman inspect`: OOMKilled false) when the killed process is not the container's first,
    // so the outcome is the app's own failure line. When the kernel picks the container's first
    // process (its sh) instead, the container exits 137 before ready: also a failure, not a slow start.
    const backend = createPodmanBackend({ memoryMarginBytes: -56 * MiB });
    const hungry = scenario('hungry', [service('hungry', 1, [['t-pm-base', 3 * MiB]], { memoryBytes: 64 * MiB })]);
    const result = completedResult(await backend.run(hungry, opts));
    await opts.cleanup.run();
    expect(result.state).toBe('partial');
    expect(result.error).toMatch(/^batch 1: 1 instance of hungry (failed: could not hold 67108864 bytes of memory|exited before ready: container exited with code 137 before ready)/);
    expect(result.metrics.startupAllMs).toBeNull();
    expect(podmanContainers(`${RUN_LABEL}=${runId}`)).toEqual([]);
  });

  it("reports each layer as Podman stores it: its tar stream's bytes", { timeout: 60_000 }, async () => {
    const service_ = await openService(process.env, 'test-layers');
    try {
      const engine = await connectService(service_);
      const [image] = await ensureImages(engine, [service('layers', 1, [['t-pm-layer', 1 * MiB]])], new AbortController().signal, () => {}, 'podman');
      // The 1 MiB layer's tar: 1048576 bytes of file, its header and its directories' headers, and
      // the 1024-byte end of archive: 1052160 bytes here (7 blocks of 512 over the file).
      const tarBytes = image!.plan!.layers.map((layer) => archiveBytes(layerEntries(layer)));
      expect(image!.layers.layerBytes).toEqual(tarBytes);
    } finally {
      if (service_.ours) await service_.stop();
    }
  });

  it('clean removes a crashed run’s containers from Podman’s store and stops nothing it did not start', { timeout: 60_000 }, async () => {
    const service_ = await openService(process.env, 'test-clean');
    try {
      const engine = await connectService(service_);
      const [image] = await ensureImages(engine, [service('clean', 1, [['t-pm-base', 3 * MiB]])], new AbortController().signal, () => {}, 'podman');
      // No owner labels: a crashed run's container.
      await engine.createContainer({ image: image!.ref, command: ['/bin/true'], labels: { [RUN_LABEL]: `${runPrefix}-crashed` }, memoryLimitBytes: 8 * MiB, pidsLimit: 8, shmBytes: MiB });
      expect(podmanContainers(`${RUN_LABEL}=${runPrefix}-crashed`)).toHaveLength(1);
    } finally {
      if (service_.ours) await service_.stop();
    }
    const report = await createPodmanBackend().clean({ includeLive: false });
    expect(report.removed.containers).toBeGreaterThanOrEqual(1);
    expect(podmanContainers(`${RUN_LABEL}=${runPrefix}-crashed`)).toEqual([]);
    expect(await ourServices()).toEqual([]);
  });

  it('calibrate measures podman-crun through the service (conmon as shim, the service as daemon) and leaves nothing', { timeout: 120_000 }, async () => {
    const cleanup = new CleanupStack();
    const runId = `${runPrefix}-calibrate`;
    let calibration;
    try {
      calibration = await podmanBackend.calibrate!({ runId, samples: 2, signal: new AbortController().signal, cleanup, progress: () => {}, origin: { host: 'test', date: '2026-12-02' } });
    } finally {
      await cleanup.run();
    }
    const { overrides, host } = calibration;
    for (const key of ['createMs', 'startMs', 'startSerialMs', 'shimMemoryBytes', 'daemonMemoryBytes']) expect(overrides[`runtimes.podman-crun.${key}`], key).toBeDefined();
    expect(overrides['runtimes.podman-crun.shimMemoryBytes']?.source).toContain('median PSS of conmon per container');
    expect(overrides['runtimes.podman-crun.daemonMemoryBytes']?.source).toContain('PSS of the Podman API service with containers running');
    // The start path as the model has it: attach (where Podman's service sets the container up) and start.
    expect(overrides['runtimes.podman-crun.startMs']?.source).toContain('median attach + start requests');
    expect(host.runtime).toBe('podman-crun');
    expect(await ourServices()).toEqual([]);
    expect(await ourTempFolders()).toEqual([]);
    expect(podmanContainers(`${RUN_LABEL}=${runId}`)).toEqual([]);
  });
});

describe('podman backend without Podman', () => {
  it('a named socket that does not answer is an EngineError naming it, and no service is started instead', async () => {
    const backend = createPodmanBackend({}, { ISOBENCH_PODMAN_SOCKET: 'unix:///nonexistent/isobench-podman.sock' });
    await expect(backend.probe()).rejects.toThrow(/no Podman service answers at \/nonexistent\/isobench-podman\.sock \(ISOBENCH_PODMAN_SOCKET\)/);
  });

  it('with no podman on PATH, probe says how to install it', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      // No system socket here either (/run/podman/podman.sock), so Podman would have to be started.
      await expect(createPodmanBackend({}, {}).probe()).rejects.toThrow(/Podman is not installed .*sudo scripts\/setup-engines\.sh runtimes/);
    } finally {
      process.env.PATH = path;
    }
  });
});
