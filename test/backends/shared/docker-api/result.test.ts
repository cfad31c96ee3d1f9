// The docker backend's result from its measurements (pure): a figure the engine did not give is
// null with a note, never 0 (formerly SizeRw ?? 0, cgroup usage ?? 0, an invisible shim counted as 0).

import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../../../src/backends/shared/docker-api/engine.js';
import type { ContainerMeasure } from '../../../../src/backends/shared/docker-api/measure.js';
import { dockerPhases, dockerResult, type DockerMeasurements } from '../../../../src/backends/shared/docker-api/result.js';

const info: EngineInfo = {
  endpoint: 'unix:///var/run/docker.sock',
  engineVersion: '20.10',
  apiVersion: '1.41',
  pinnedApiVersion: '1.41',
  storageDriver: 'overlay2',
  containerdImageStore: false,
  cgroupVersion: '2',
  cgroupDriver: 'systemd',
  kernel: '6.1',
  operatingSystem: 'Debian',
  defaultRuntime: 'runc',
  runtimes: 'runc',
  rootless: false,
  engineInVm: false,
  local: true,
};

const container = (extra: Partial<ContainerMeasure> = {}): ContainerMeasure => ({
  service: 'web',
  id: 'c1',
  usageBytes: 10_000_000,
  inactiveFileBytes: 1_000_000,
  cliBytes: 9_000_000,
  anonBytes: 8_000_000,
  cacheBytes: 2_000_000,
  shimPssBytes: 3_000_000,
  shimRssBytes: 6_000_000,
  shimUssBytes: null,
  processPssBytes: null,
  processUssBytes: null,
  sizeRwBytes: 65_536,
  files: [],
  ...extra,
});

function measurements(containers: ContainerMeasure[], daemon: DockerMeasurements['daemon'] = { pssBytes: 100_000_000, rssBytes: 120_000_000, processes: ['dockerd[1]'] }): DockerMeasurements {
  return {
    info,
    runtime: 'docker-runc',
    scale: 1,
    instancesRequested: 2,
    instancesMeasured: 2,
    repetitions: 0,
    images: [],
    batches: [],
    slept: false,
    containers,
    daemon,
    state: 'completed',
    notes: [],
  };
}

describe('dockerResult', () => {
  it("adds each container's CLI figure and its shim, and the daemon once", () => {
    // Per container 9 MB + 3 MB shim = 12 MB; total 100 MB daemon + 2 x 12 MB = 124 MB.
    const result = dockerResult(measurements([container(), container({ id: 'c2' })]));
    expect(result.metrics.memoryPerInstanceBytes).toBe(12_000_000);
    expect(result.metrics.memoryTotalBytes).toBe(124_000_000);
    expect(result.metrics.diskPerInstanceBytes).toBe(65_536);
  });

  it('shim not visible (remote engine): memory per instance and total are null with a note, not the CLI figure alone', () => {
    const result = dockerResult(measurements([container({ shimPssBytes: null, shimRssBytes: null })]));
    expect(result.metrics.memoryPerInstanceBytes).toBeNull();
    expect(result.metrics.memoryTotalBytes).toBeNull();
    expect(result.notes).toContain('memory per instance: not measured (null): the containerd shim is not visible from here (remote engine or VM)');
  });

  it('no cgroup usage from the daemon: memory per instance is null, not 0', () => {
    const result = dockerResult(measurements([container({ usageBytes: null, cliBytes: null })]));
    expect(result.metrics.memoryPerInstanceBytes).toBeNull();
    expect(result.notes).toContain('memory per instance: not measured (null): the daemon reported no cgroup usage or inactive file figure');
  });

  it('no SizeRw from the engine: disk per instance and total are null, not 0', () => {
    const result = dockerResult(measurements([container({ sizeRwBytes: null })]));
    expect(result.metrics.diskPerInstanceBytes).toBeNull();
    expect(result.metrics.diskTotalBytes).toBeNull();
    expect(result.notes).toContain('disk per instance: not measured (null): the engine reported no writable-layer size (SizeRw)');
  });

  it('daemons not visible: shared memory null, and no total made from the rest', () => {
    const result = dockerResult(measurements([container()], null));
    expect(result.metrics.memorySharedBytes).toBeNull();
    expect(result.metrics.memoryTotalBytes).toBeNull();
    expect(result.metrics.memoryPerInstanceBytes).toBe(12_000_000);
  });
});

describe('dockerResult with the container processes visible', () => {
  it('takes the PSS of the container processes plus the shim as the instance memory, and their USS as unique', () => {
    // processes 70 MB PSS / 30 MB USS, shim 3 MB PSS / 2 MB USS: 73 MB and 32 MB per instance.
    const c = container({ processPssBytes: 70_000_000, processUssBytes: 30_000_000, shimUssBytes: 2_000_000 });
    const result = dockerResult(measurements([c, { ...c, id: 'c2' }]));
    expect(result.metrics.memoryPerInstanceBytes).toBe(73_000_000);
    expect(result.metrics.memoryUniqueBytes).toBe(32_000_000);
  });
});

describe('dockerResult on Podman (its Docker-compatible service)', () => {
  const podman = (containers: ContainerMeasure[]): DockerMeasurements => ({
    ...measurements(containers, { pssBytes: 40_000_000, rssBytes: 47_000_000, processes: ['podman[9]'] }),
    info: { ...info, engineVersion: '4.3.1', storageDriver: 'overlay', defaultRuntime: 'crun', runtimes: 'crun runc' },
    runtime: 'podman-crun',
    backend: 'podman',
    ociRuntime: { name: 'crun', version: 'crun version 1.8.1' },
  });

  it('names Podman, conmon and the API service where Docker names dockerd and the containerd shim', () => {
    const result = dockerResult(podman([container({ processPssBytes: 9_000_000, memoryStatFrom: 'cgroupfs' })]));
    // 9 MB of processes + 3 MB conmon; shared: the service's 40 MB PSS.
    expect(result.metrics.memoryPerInstanceBytes).toBe(12_000_000);
    expect(result.metrics.memorySharedBytes).toBe(40_000_000);
    expect(result.provenance).toMatchObject({ engine: 'podman', engineVersion: '4.3.1', runtime: 'crun', runtimeVersion: 'crun version 1.8.1' });
    expect(result.notes?.[0]).toMatch(/^engine: Podman 4\.3\.1 .*runtime crun \(crun version 1\.8\.1\)$/);
    expect(result.notes?.join('\n')).not.toMatch(/dockerd|containerd/);
    expect(result.breakdown.memory.find((item) => item.label === 'shim')?.note).toBe('per instance: PSS of its conmon (RSS 6000000)');
    expect(result.notes).toContain("memory breakdown: Podman's stats API reported usage and limit only; memory.stat was read from the container's cgroup on this host");
    expect(result.notes).toContain(
      "disk shared: Podman reports each layer's size as its uncompressed tar stream (file headers and padding included: a 3 MiB one-file layer counts 5 KiB more than Docker's sum of its files)",
    );
  });

  it('no cgroup figures but the processes seen: memory per instance is measured, and the missing breakdown is said', () => {
    const result = dockerResult(podman([container({ processPssBytes: 9_000_000, usageBytes: null, cliBytes: null, memoryStatFrom: null })]));
    expect(result.metrics.memoryPerInstanceBytes).toBe(12_000_000);
    expect(result.notes?.filter((note) => note.includes('not measured (null)'))).toEqual([]);
    expect(result.notes).toContain('memory breakdown: the cgroup figures (CLI figure, anonymous, page cache) are missing: the engine reported no memory.stat and its cgroup was not readable here');
  });

  it("Podman's attach phase says it initialises the container (conmon, crun create)", () => {
    const phases = dockerPhases(false, 'podman');
    expect(phases.map((p) => p.label)).toEqual(['create', 'attach', 'start', 'app']);
    expect(phases[1]!.note).toContain('conmon spawned, crun create');
  });
});
