import { describe, expect, it } from 'vitest';
import type { DockerCalibration } from '../../src/calibrate/measure-docker.js';
import { median } from '../../src/calibrate/measure-docker.js';
import { toOverrides } from '../../src/calibrate/overrides.js';
import { builtinCatalog, withOverrides } from '../../src/profiles/catalog.js';
import { HostProfileSchema } from '../../src/profiles/profile-file.js';

const docker: DockerCalibration = {
  createMs: 54,
  startMs: 190,
  execMs: -3,
  perLayerMs: 4,
  concurrentCreateWallMs: 250,
  concurrent: 4,
  shimPssBytes: 5_000_000,
  idleContainerBytes: 300_000,
  daemonPssBytes: 130_000_000,
  loadBytesPerSec: 20e6,
  copyUpBytesPerSec: 400e6,
  samples: 10,
};

describe('calibration overrides', () => {
  const overrides = toOverrides({ host: 'box', date: '2026-11-28' }, 'docker-runc', docker, { forkExecMs: 30, idleProcessBytes: 1_700_000, samples: 10 }, 2);

  it('derives the runtime parameters by hand-checkable arithmetic', () => {
    // create: 54 - 4 (one layer) = 50
    expect(overrides['runtimes.docker-runc.createMs']?.value).toBe(50);
    // 4 creates on 2 cpus: f = 2; serial = (250 - 54 x 2) / (4 - 2) = 71, capped at createMs 50
    expect(overrides['runtimes.docker-runc.createSerialMs']?.value).toBe(50);
    // the app's line came 3 ms before start returned: start-to-ready 187 ms, runtime 0
    expect(overrides['runtimes.docker-runc.startMs']?.value).toBe(187);
    expect(overrides['runtimes.docker-runc.runtimeMs']?.value).toBe(0);
    expect(overrides['process.forkExecMs']?.value).toBe(30);
    expect(overrides['runtimes.docker-runc.shimMemoryBytes']?.source).toMatch(/^calibrated on box 2026-11-28: /);
  });

  it('uses only paths and units the catalog has, so --profile accepts the file', () => {
    const catalog = withOverrides(builtinCatalog(), overrides, 'test');
    expect(catalog.runtimes['docker-runc']?.createMs.value).toBe(50);
    expect(
      HostProfileSchema.safeParse({ schemaVersion: 1, kind: 'isobench-host-profile', createdAt: 'x', host: {}, overrides }).success,
    ).toBe(true);
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
