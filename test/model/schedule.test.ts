import { describe, expect, it } from 'vitest';
import { appPhases, type InstanceTemplate, percentiles, schedule } from '../../src/model/schedule.js';

const cpuOnly = (instances: number, ms: number): InstanceTemplate => ({
  service: 's',
  instances,
  phases: [{ label: 'work', ms, resource: 'cpu', note: '' }],
});

describe('waves and contention', () => {
  it('10 CPU-bound starts at once on 5 CPUs each take twice as long', () => {
    // factor = 10 / 5 = 2 -> every instance 100 ms x 2 = 200 ms; one wave.
    const run = schedule([cpuOnly(10, 100)], 10, 5, 0);
    expect([...run.perInstanceMs]).toEqual(Array(10).fill(200));
    expect(run).toMatchObject({ firstReadyMs: 200, allReadyMs: 200, waves: 1, maxCpuFactor: 2 });
  });
  it('concurrency 5 on 5 CPUs: two waves of 100 ms, no stretch', () => {
    const run = schedule([cpuOnly(10, 100)], 5, 5, 0);
    expect(run).toMatchObject({ firstReadyMs: 100, allReadyMs: 200, waves: 2, maxCpuFactor: 1 });
  });
  it('serial phases queue within a wave; the lead delays everything', () => {
    // 3 at once, 10 ms serial each: ready at 10, 20, 30 ms after their start; lead 50 ms.
    const run = schedule([{ service: 's', instances: 3, phases: [{ label: 'lock', ms: 10, resource: 'serial', note: '' }] }], 3, 8, 50);
    expect([...run.perInstanceMs]).toEqual([10, 20, 30]);
    expect(run).toMatchObject({ firstReadyMs: 60, allReadyMs: 80 });
  });
  it('disk phases share the bandwidth of the wave', () => {
    // 4 copies of 1000 ms each at once: each gets a quarter of the disk -> 4000 ms.
    const run = schedule([{ service: 's', instances: 4, phases: [{ label: 'copy', ms: 1000, resource: 'disk', note: '' }] }], 4, 8, 0);
    expect(run.allReadyMs).toBe(4000);
  });
  it('latency phases (the app startup) do not stretch under contention', () => {
    // 10 at once on 5 CPUs: cpu 100 ms x 2 = 200 ms, plus app 250 ms unstretched = 450 ms.
    const template: InstanceTemplate = {
      service: 's',
      instances: 10,
      phases: [
        { label: 'work', ms: 100, resource: 'cpu', note: '' },
        { label: 'app', ms: 250, resource: 'latency', note: '' },
      ],
    };
    expect(schedule([template], 10, 5, 0).allReadyMs).toBe(450);
  });
  it('an app fills its memory (CPU) and then waits out the rest of its startup', () => {
    // 256 MiB at 1.25e9 B/s = 268435456 / 1.25e6 ms = 214.748... ms of CPU; startup 100 ms is already spent.
    const [fill, rest] = appPhases({ memoryBytes: 256 * 1024 ** 2, startupMs: 100 }, 1.25e9);
    expect(fill?.ms).toBeCloseTo(214.748, 3);
    expect(rest?.ms).toBe(0);
    // 10 such apps at once on 5 CPUs: the fill doubles, 429.5 ms; a 1 s startup leaves 785.3 ms of waiting.
    const phases = appPhases({ memoryBytes: 256 * 1024 ** 2, startupMs: 1000 }, 1.25e9);
    expect(schedule([{ service: 's', instances: 10, phases }], 10, 5, 0).allReadyMs).toBeCloseTo(2 * 214.748 + (1000 - 214.748), 3);
  });
  it('percentiles interpolate between ranks at (n - 1) q, like tinybench', () => {
    // 1..100: p50 at position 49.5 -> between 50 and 51 = 50.5; p99 at 98.01 -> 99 + 0.01 = 99.01.
    const [p50, p99] = percentiles(Float64Array.from({ length: 100 }, (_, i) => 100 - i), [0.5, 0.99]);
    expect(p50).toBe(50.5);
    expect(p99).toBeCloseTo(99.01, 10);
    // Two slow, two fast instances (8 s, 8 s, 20 s, 20 s): p50 = 14 s, not 8 s.
    expect(percentiles(Float64Array.from([20, 8, 20, 8]), [0.5])).toEqual([14]);
  });
});
