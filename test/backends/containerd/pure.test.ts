// The containerd backend's pure parts: the ctr arguments, the daemon config, modelAsRun and the
// result assembled from hand-made measurements.

import { describe, expect, it } from 'vitest';
import { containerdBackend } from '../../../src/backends/containerd/index.js';
import { DEFAULT_CAPABILITIES, createArgs } from '../../../src/backends/containerd/instance.js';
import { daemonConfig } from '../../../src/backends/containerd/daemon.js';
import { containerdResult, type ContainerdMeasurements } from '../../../src/backends/containerd/result.js';
import type { ContainerdMeasure } from '../../../src/backends/containerd/measure.js';
import type { ReadyImage } from '../../../src/backends/shared/docker-images.js';
import { MiB, scenario, service } from '../docker/fixtures.js';

describe('ctr arguments and config', () => {
  it('creates with the memory limit, labels, every default capability dropped, and the command after --', () => {
    const args = createArgs({ image: 'docker.io/isobench/a:1', command: ['/bin/busybox', 'sh', '-c', 'echo -c'], labels: { 'isobench.run': 'r1' }, memoryLimitBytes: 1234 }, 'id1');
    expect(args.slice(0, 6)).toEqual(['containers', 'create', '--memory-limit', '1234', '--label', 'isobench.run=r1']);
    // 14 capabilities in ctr's default spec, two arguments each.
    expect(args.filter((a) => a === '--cap-drop')).toHaveLength(DEFAULT_CAPABILITIES.length);
    expect(DEFAULT_CAPABILITIES).toHaveLength(14);
    // "-c" of the command must not be read as ctr's --config: it comes after "--".
    expect(args.slice(-7)).toEqual(['docker.io/isobench/a:1', 'id1', '--', '/bin/busybox', 'sh', '-c', 'echo -c']);
  });

  it('keeps an own containerd inside its folder, without the CRI plugin', () => {
    const config = daemonConfig('/tmp/x');
    expect(config).toContain('root = "/tmp/x/root"');
    expect(config).toContain('state = "/tmp/x/state"');
    expect(config).toContain('address = "/tmp/x/c.sock"');
    expect(config).toContain('address = "/tmp/x/c.sock.ttrpc"');
    expect(config).toContain('disabled_plugins = ["io.containerd.grpc.v1.cri"]');
    expect(config).toContain('path = "/tmp/x/opt"');
  });
});

describe('containerd modelAsRun', () => {
  it('models every service on containerd-runc, with a note naming what the scenario said', () => {
    const s = scenario('s', [service('web', 2, [['base', MiB]])]);
    const modeled = containerdBackend.modelAsRun(s, {} as never);
    expect(modeled.scenario.services.map((x) => x.container.runtime)).toEqual(['containerd-runc']);
    expect(modeled.notes).toContain('modeled with the containerd-runc profile, as measured (the scenario names docker-runc)');
  });
});

const image: ReadyImage = {
  service: 'web',
  ref: 'docker.io/isobench/web:1',
  layers: { id: 'docker.io/isobench/web:1', diffIds: ['sha256:a', 'sha256:b'], layerBytes: [3000, 5000], sizeBytes: 8000, labels: {} },
  built: true,
  buildMs: 10,
};

function container(id: string, pss: number, shim: number, upper: number | null): ContainerdMeasure {
  return {
    service: 'web',
    id,
    processPssBytes: pss,
    processUssBytes: pss / 2,
    shimPssBytes: shim,
    shimRssBytes: shim * 2,
    shimUssBytes: shim / 2,
    upperBytes: upper,
    snapshotUsageBytes: 8192,
    lowerDirs: ['/s/2/fs', '/s/1/fs'],
    files: [{ path: '/log', mode: 'create', upperBytes: upper }],
  };
}

function measurements(overrides: Partial<ContainerdMeasurements> = {}): ContainerdMeasurements {
  const ready = (index: number, readyAtMs: number) => ({
    state: 'ready' as const,
    index,
    service: 'web',
    id: `c${index}`,
    phases: { create: 10, start: 60, app: readyAtMs - 70 },
    requestedAtMs: 0,
    startupMs: readyAtMs,
    readyAtMs,
    wave: 0,
  });
  return {
    containerdVersion: '1.6.20',
    runcVersion: 'runc version 1.1.5',
    path: 'own containerd',
    ctrCallMs: 16,
    scale: 1,
    instances: 2,
    images: [image],
    batches: [[ready(0, 100), ready(1, 140)]],
    slept: true,
    containers: [container('c0', 1000, 400, 1000), container('c1', 3000, 600, 3000)],
    layerDirBytes: new Map([
      ['/s/1/fs', 2900],
      ['/s/2/fs', 4900],
    ]),
    daemon: { pssBytes: 20_000, rssBytes: 30_000 },
    state: 'completed',
    notes: [],
    ...overrides,
  };
}

describe('containerdResult', () => {
  it('adds shim to process PSS per container, counts layers by their snapshot dirs, and names engine and runtime', () => {
    const result = containerdResult(measurements());
    // Memory per instance: ((1000 + 400) + (3000 + 600)) / 2 = 2500; total: 20000 + 1400 + 3600 = 25000.
    expect(result.metrics.memoryPerInstanceBytes).toBe(2500);
    expect(result.metrics.memoryTotalBytes).toBe(25_000);
    // Unique: ((500 + 200) + (1500 + 300)) / 2 = 1250.
    expect(result.metrics.memoryUniqueBytes).toBe(1250);
    // Layers from the dirs (bottom first: /s/1 = 2900, /s/2 = 4900), not the tar sizes 3000 and 5000: 7800.
    expect(result.metrics.diskSharedBytes).toBe(7800);
    // Upper dirs (1000 + 3000) / 2 = 2000 per instance; total 7800 + 4000 = 11800.
    expect(result.metrics.diskPerInstanceBytes).toBe(2000);
    expect(result.metrics.diskTotalBytes).toBe(11_800);
    // One batch readying at 100 and 140 ms: first 100, all 140, p50 120.
    expect(result.metrics.startupFirstMs).toBe(100);
    expect(result.metrics.startupAllMs).toBe(140);
    expect(result.metrics.startupP50Ms).toBe(120);
    expect(result.provenance).toMatchObject({ kind: 'measured', engine: 'containerd', engineVersion: '1.6.20', runtime: 'runc', runtimeVersion: 'runc version 1.1.5' });
    expect(result.profile).toBe('containerd-runc');
    // The ctr path: 16 ms per call, two calls (create, start) per start: about 32 ms.
    expect(result.notes?.some((n) => n.includes('one `ctr version` takes 16.0 ms') && n.includes('about 32 ms'))).toBe(true);
  });

  it('gives null with a note, never 0, for what it could not see', () => {
    const result = containerdResult(
      measurements({ containers: [container('c0', 1000, 400, null), { ...container('c1', 3000, 600, 3000), shimPssBytes: null }], daemon: null, layerDirBytes: new Map() }),
    );
    expect(result.metrics.memoryPerInstanceBytes).toBeNull();
    expect(result.metrics.memorySharedBytes).toBeNull();
    expect(result.metrics.diskPerInstanceBytes).toBeNull();
    // No dirs seen: the layers fall back to their tar sizes 3000 + 5000, with a note.
    expect(result.metrics.diskSharedBytes).toBe(8000);
    expect(result.notes).toContain('disk shared: some layers are counted by their tar size in the content store (their snapshot dirs were not seen)');
    expect(result.notes?.some((n) => n.startsWith('memory per instance: not measured (null)'))).toBe(true);
    expect(result.notes?.some((n) => n.startsWith('disk per instance: not measured (null)'))).toBe(true);
  });
});
