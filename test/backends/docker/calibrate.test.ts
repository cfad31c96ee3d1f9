// Calibration figures -> parameter overrides (pure): the arithmetic, the catalog paths, and the
// refusal to write a parameter from a figure that was not measured.

import { describe, expect, it } from 'vitest';
import { dockerOverrides, type DockerCalibration } from '../../../src/backends/shared/docker-api/calibrate.js';
import { processOverrides } from '../../../src/backends/host/calibrate.js';
import { builtinCatalog, withOverrides } from '../../../src/profiles/catalog.js';
import { HostProfileSchema } from '../../../src/profiles/profile-file.js';
import { RUNTIMES } from '../../../src/profiles/runtimes.js';
import { evaluateScenario } from '../../../src/model/evaluate.js';
import { burstOf } from '../../../src/backends/shared/calibration.js';
import { burstScenario } from '../../../src/model/fit-start-serial.js';

const docker: DockerCalibration = {
  createMs: 54,
  startMs: 190,
  execMs: -3,
  perLayerMs: 4,
  burst: null,
  concurrentCreateWallMs: 250,
  concurrent: 4,
  shimPssBytes: 5_000_000,
  idleContainerBytes: 300_000,
  daemonPssBytes: 130_000_000,
  loadBytesPerSec: 20e6,
  copyUpBytesPerSec: 400e6,
  samples: 10,
};
const source = (how: string): string => `calibrated on box 2026-11-28: ${how}`;

describe('calibration overrides', () => {
  const { overrides } = dockerOverrides('docker-runc', docker, 2, source);
  const processes = processOverrides({ forkExecMs: 30, idleProcessBytes: 1_700_000, holdReadyMs: 34, fillReadyMs: 97, samples: 10 }, source).overrides;

  it('derives the runtime parameters by hand-checkable arithmetic', () => {
    // create: 54 - 4 (one layer) = 50
    expect(overrides['runtimes.docker-runc.createMs']?.value).toBe(50);
    // 4 creates on 2 cpus: f = 2; serial = (250 - 54 x 2) / (4 - 2) = 71, capped at createMs 50
    expect(overrides['runtimes.docker-runc.createSerialMs']?.value).toBe(50);
    // the app's line came 3 ms before start returned: start-to-ready 187 ms, runtime 0; less the
    // built-in serialised part of a start (RUNTIMES['docker-runc'].startSerialMs, 28 ms): 159 ms.
    expect(RUNTIMES['docker-runc']!.startSerialMs.value).toBe(28);
    expect(overrides['runtimes.docker-runc.startMs']?.value).toBe(187 - 28);
    expect(overrides['runtimes.docker-runc.runtimeMs']?.value).toBe(0);
    expect(processes['process.forkExecMs']?.value).toBe(30);
    // Holding 64 MiB: ready after 97 ms, 63 ms after holding 1 MiB (34 ms): 63 MiB / 63 ms = 1 MiB/ms
    // = 1,048,576,000 B/s. The script holding 1 MiB: 34 - 30 - 1 MiB at that rate (1 ms) = 3 ms.
    expect(processes['common.memoryFillBytesPerSec']?.value).toBe(1_048_576_000);
    expect(processes['common.appScriptHoldMs']?.value).toBe(3);
    expect(overrides['runtimes.docker-runc.shimMemoryBytes']?.source).toMatch(/^calibrated on box 2026-11-28: /);
  });

  it('uses only paths and units the catalog has, so --profile accepts the file', () => {
    const all = { ...overrides, ...processes };
    const catalog = withOverrides(builtinCatalog(), all, 'test');
    expect(catalog.runtimes['docker-runc']?.createMs.value).toBe(50);
    expect(HostProfileSchema.safeParse({ schemaVersion: 1, kind: 'isobench-host-profile', createdAt: 'x', host: {}, overrides: all }).success).toBe(true);
  });
});

describe('the serialised part of a start, fitted to a burst', () => {
  it('recovers the split that produced a burst: 8 starts at once made by the model with 40 ms serialised', () => {
    // The lone start is 187 ms (as above). Make the "measured" burst with the model itself, split
    // 40 ms serialised + 147 ms CPU, and the other calibrated parameters; the fit must find 40 again.
    const others = dockerOverrides('docker-runc', docker, 2, source).overrides;
    const split = { 'runtimes.docker-runc.startSerialMs': { value: 40, unit: 'ms' as const, source: 't' }, 'runtimes.docker-runc.startMs': { value: 147, unit: 'ms' as const, source: 't' } };
    const made = evaluateScenario(burstScenario('docker-runc', 8, 2), withOverrides(builtinCatalog(), { ...others, ...split }, 't')).find((r) => r.platform === 'container')!.metrics;
    const burst = { instances: 8, firstMs: made.startupFirstMs!, p50Ms: made.startupP50Ms!, allMs: made.startupAllMs! };
    const { overrides } = dockerOverrides('docker-runc', { ...docker, burst }, 2, source);
    expect(overrides['runtimes.docker-runc.startSerialMs']?.value).toBe(40);
    expect(overrides['runtimes.docker-runc.startMs']?.value).toBe(147);
    expect(overrides['runtimes.docker-runc.startSerialMs']?.source).toMatch(/fitted: the serialised part of the lone start \(187 ms\) that best reproduces 8 starts at once/);
  });
});

describe('a measured burst', () => {
  it('is the mean over complete batches of first, p50 and all ready', () => {
    // Complete batches of 4: first 10 and 20 (mean 15); p50 between ranks 25 and 35 (mean 30);
    // all 40 and 50 (mean 45). The batch where 2 of 4 got ready is left out.
    expect(
      burstOf(4, [
        [10, 20, 30, 40],
        [50, 40, 30, 20],
        [5, 6],
      ]),
    ).toEqual({ instances: 4, firstMs: 15, p50Ms: 30, allMs: 45 });
    expect(burstOf(4, [[5, 6]])).toBeNull();
  });
});

describe("the parent's serialised part of a fork/exec, fitted to a burst", () => {
  it('recovers the split that produced a burst: 8 processes launched at once by the model with 1.0 of 3.0 ms serialised', () => {
    const lone = { forkExecMs: 3, idleProcessBytes: 1_700_000, holdReadyMs: null, fillReadyMs: null, samples: 10 };
    const made = evaluateScenario(
      burstScenario('docker-runc', 8, 2),
      withOverrides(builtinCatalog(), { 'process.forkExecMs': { value: 3, unit: 'ms', source: 't' }, 'process.spawnSerialMs': { value: 1, unit: 'ms', source: 't' } }, 't'),
    ).find((r) => r.platform === 'process')!.metrics;
    const burst = { instances: 8, firstMs: made.startupFirstMs!, p50Ms: made.startupP50Ms!, allMs: made.startupAllMs! };
    const { overrides } = processOverrides({ ...lone, burst }, source, 2);
    expect(overrides['process.spawnSerialMs']?.value).toBe(1);
  });
});

describe("the parent's and the children's CPU of a start, measured", () => {
  it("the parent serialises its own CPU; the children's CPU over their wall time is how many run at once", () => {
    // Lone: spawn -> first line 3 ms, of which the parent's CPU 1.2 ms; the child's processes 3.5 ms of
    // CPU in the other 1.8 ms. Holding 1 MiB: ready at 7 ms, 9 ms of the child's CPU. No 64 MiB figure:
    // the built-in 1.25 GB/s fills 1 MiB in 1048576 / 1.25e9 s = 0.8388608 ms.
    const measured = { forkExecMs: 3, idleProcessBytes: 1_700_000, holdReadyMs: 7, fillReadyMs: null, samples: 10, cpu: { parentMs: 1.2, childMs: 3.5, holdChildMs: 9, source: 'cpuacct' as const } };
    const { overrides } = processOverrides(measured, source, 2);
    expect(overrides['process.spawnSerialMs']?.value).toBe(1.2);
    expect(overrides['process.childStartCpuMs']?.value).toBe(3.5);
    expect(overrides['process.childStartCpuMs']?.source).toContain('over 1.8 ms of wall time');
    // Script: 7 - 3 - 0.8388608 = 3.16 ms alone; 9 - 3.5 - 0.8388608 = 4.66 ms of CPU.
    expect(overrides['common.appScriptHoldMs']?.value).toBe(3.16);
    expect(overrides['common.appScriptHoldCpuMs']?.value).toBe(4.66);
  });

  it('with a burst, says how the model with the measured figures reproduces it (a check, not a fit)', () => {
    const measured = {
      forkExecMs: 3,
      idleProcessBytes: null,
      samples: 10,
      cpu: { parentMs: 1, childMs: 2, holdChildMs: 2, source: 'proc-stat' as const },
      burst: { instances: 8, firstMs: 5, p50Ms: 10, allMs: 15 },
    };
    const { overrides } = processOverrides(measured, source, 2);
    expect(overrides['process.spawnSerialMs']?.value).toBe(1);
    expect(overrides['process.spawnSerialMs']?.source).toMatch(/checked on 8 launched at once: first 5, p50 10, all 15 ms, modeled [\d.]+, [\d.]+, [\d.]+ ms/);
    expect(overrides['process.spawnSerialMs']?.source).toContain('/proc/stat, 10 ms steps');
  });
});

describe('a parameter that was not measured is not written (formerly a calibrated 0)', () => {
  it('no shim visible, no cgroup figures, no daemon: those three are refused with why, the rest written', () => {
    const { overrides, notMeasured } = dockerOverrides('docker-runc', { ...docker, shimPssBytes: null, idleContainerBytes: null, daemonPssBytes: null }, 2, source);
    for (const key of ['shimMemoryBytes', 'perContainerKernelBytes', 'daemonMemoryBytes']) expect(overrides[`runtimes.docker-runc.${key}`], key).toBeUndefined();
    expect(notMeasured).toEqual([
      'runtimes.docker-runc.startSerialMs: not written: no burst of starts got ready, and one start at a time cannot tell the serialised part from the rest; the built-in figure stays',
      'runtimes.docker-runc.shimMemoryBytes: not written: no shim was visible from here (remote engine or VM)',
      'runtimes.docker-runc.perContainerKernelBytes: not written: the daemon reported no cgroup memory figures',
      'runtimes.docker-runc.daemonMemoryBytes: not written: dockerd + containerd: not visible from here',
    ]);
    expect(overrides['runtimes.docker-runc.createMs']?.value).toBe(50);
  });

  it('no calibration container got ready (median of nothing): no timing parameter is written', () => {
    const { overrides, notMeasured } = dockerOverrides('docker-runc', { ...docker, createMs: null, startMs: null, execMs: null, perLayerMs: null }, 2, source);
    for (const key of ['createMs', 'createSerialMs', 'layerSetupMsPerLayer', 'startMs', 'runtimeMs']) {
      expect(overrides[`runtimes.docker-runc.${key}`], key).toBeUndefined();
      expect(notMeasured).toContain(`runtimes.docker-runc.${key}: not written: no calibration container got ready`);
    }
  });

  it('no process got ready, or its group was gone: the process parameters are refused', () => {
    const { overrides, notMeasured } = processOverrides({ forkExecMs: null, idleProcessBytes: null, samples: 10 }, source);
    expect(overrides).toEqual({});
    expect(notMeasured).toEqual([
      'process.forkExecMs: not written: no calibration process printed its ready line',
      'common.memoryFillBytesPerSec: not written: no calibration process holding 64 MiB printed its ready line (or it was not slower than holding 1 MiB)',
      'common.appScriptHoldMs: not written: no calibration process holding memory printed its ready line',
      "process.spawnSerialMs: not written: neither the machine's CPU time nor a complete burst of calibration processes was measured; the built-in split stays",
      'process.perProcessKernelBytes: not written: the idle process group was gone before it was measured',
    ]);
  });
});
