import { describe, expect, it } from 'vitest';
import type { Phase, InstanceTemplate } from '../../src/model/phases.js';
import { simulate, type SimulationInput } from '../../src/model/simulate.js';

const phase = (resource: Phase['resource'], ms: number, label: string = resource): Phase => ({ label, ms, resource, note: '' });
const template = (instances: number, phases: Phase[], more: Partial<InstanceTemplate> = {}): InstanceTemplate => ({
  service: 's',
  instances,
  phases,
  reservedBytes: 0,
  memoryBytes: 0,
  diskBytes: 0,
  lifetimeMs: null,
  ...more,
});
const run = (templates: InstanceTemplate[], more: Partial<SimulationInput> = {}) =>
  simulate({
    templates,
    concurrency: templates.reduce((n, t) => n + t.instances, 0),
    cpus: 1,
    leadMs: 0,
    arrivalEveryMs: null,
    memoryFreeBytes: 1e15,
    diskFreeBytes: 1e15,
    timelineCap: 1000,
    ...more,
  });
const ready = (r: ReturnType<typeof simulate>) => [...r.readyMs];

describe('processor sharing', () => {
  it('two instances of 100 ms CPU on one CPU each get half of it: both ready at 200 ms', () => {
    expect(ready(run([template(2, [phase('cpu', 100)])]))).toEqual([200, 200]);
  });
  it('100 and 300 ms on one CPU: the short one leaves at 200 ms, the long one then runs alone to 400 ms', () => {
    // 0..200: both at 1/2 (short does 100, long 100); long has 200 left at full speed: 200 + 200 = 400.
    const r = run([template(1, [phase('cpu', 100)]), { ...template(1, [phase('cpu', 300)]), service: 't' }]);
    expect(ready(r)).toEqual([200, 400]);
  });
  it('no stretch while instances <= CPUs: 4 x 100 ms on 8 CPUs are ready at 100 ms', () => {
    expect(ready(run([template(4, [phase('cpu', 100)])], { cpus: 8 }))).toEqual([100, 100, 100, 100]);
  });
  it('disk bandwidth is shared among transfers: 2 copies of 100 ms each end at 200 ms', () => {
    expect(ready(run([template(2, [phase('disk', 100)])], { cpus: 8 }))).toEqual([200, 200]);
  });
  it('a phase of 2 processes at once (width 2, 100 ms alone) on 2 CPUs takes its 100 ms', () => {
    expect(ready(run([template(1, [{ ...phase('cpu', 100), width: 2 }])], { cpus: 2 }))).toEqual([100]);
  });
  it('width 2 beside a plain 100 ms phase on 2 CPUs: 3 processes share 2 CPUs, each at 2/3: both ready at 150 ms', () => {
    // Both need 100 ms of virtual time at 2/3 per process: 100 / (2/3) = 150.
    const r = run([template(1, [{ ...phase('cpu', 100), width: 2 }]), { ...template(1, [phase('cpu', 100)]), service: 't' }], { cpus: 2 });
    expect(ready(r)).toEqual([150, 150]);
  });
  it('width 1.5 (100 ms alone on 2 CPUs) on 1 CPU: 1.5 processes on one CPU, each at 2/3: 150 ms', () => {
    expect(ready(run([template(1, [{ ...phase('cpu', 100), width: 1.5 }])]))).toEqual([150]);
  });
  it('latency phases compete for nothing: 1000 x 50 ms on 1 CPU are all ready at 50 ms', () => {
    expect(new Set(ready(run([template(1000, [phase('latency', 50)])])))).toEqual(new Set([50]));
  });
});

describe('the daemon queue (serialised section)', () => {
  it('3 requests of 10 ms serialised, then 50 ms of waiting: ready at 60, 70 and 80 ms', () => {
    expect(ready(run([template(3, [phase('serial', 10), phase('latency', 50)])]))).toEqual([60, 70, 80]);
  });
  it('serialised 10 ms then 100 ms CPU, 2 instances on 1 CPU: 200 and 210 ms', () => {
    // A leaves the queue at 10 and runs alone to 20 (10 ms done); B joins at 20; both at 1/2:
    // A needs 90 more -> 180 ms -> 200; B has done 90 by then, 10 left alone -> 210.
    expect(ready(run([template(2, [phase('serial', 10), phase('cpu', 100)])]))).toEqual([200, 210]);
  });
  it('first ready is staggered by the queue, not all at once', () => {
    const r = ready(run([template(16, [phase('serial', 28), phase('cpu', 73)])], { cpus: 2 }));
    expect(Math.min(...r)).toBeLessThan(Math.max(...r) / 2);
  });
});

describe('concurrency, arrivals, lifetimes and fit', () => {
  it('concurrency 2 of 4, 100 ms each: a slot frees when an instance is ready -> 100, 100, 200, 200', () => {
    expect(ready(run([template(4, [phase('latency', 100)])], { concurrency: 2 }))).toEqual([100, 100, 200, 200]);
  });
  it('instances that do not fit are not started: 3 x 60 bytes on 100 free -> 1 runs, 2 not started', () => {
    const r = run([template(3, [phase('latency', 100)], { reservedBytes: 60, memoryBytes: 60 })], { memoryFreeBytes: 100 });
    expect(r).toMatchObject({ started: 1, notStarted: 2, limitedBy: 'memory', peakMemoryBytes: 60, waitedForCapacity: 0 });
    expect(r.readyMs[0]).toBe(100);
    expect(Number.isNaN(r.readyMs[1])).toBe(true);
  });
  it('an arrival stream whose ended instances free memory: each waits for the one before to end', () => {
    // 100 bytes free, 60 each, one every 500 ms, 100 ms to start, lifetime 1000 ms.
    // #0: 0 -> ready 100, ends 1100. #1 (500) waits -> starts 1100, ready 1200, ends 2200.
    // #2 (1000) waits behind #1 -> starts 2200, ready 2300. Never more than one alive: peak 60 bytes.
    const r = run([template(3, [phase('latency', 100)], { reservedBytes: 60, memoryBytes: 60, lifetimeMs: 1000 })], {
      memoryFreeBytes: 100,
      arrivalEveryMs: 500,
    });
    expect(ready(r)).toEqual([100, 1200, 2300]);
    expect([...r.startedMs]).toEqual([0, 1100, 2200]);
    expect(r).toMatchObject({ started: 3, notStarted: 0, waitedForCapacity: 2, limitedBy: 'memory', peakAlive: 1, peakMemoryBytes: 60 });
  });
  it('with enough room, an arrival stream with lifetimes keeps only the overlap alive: peak 2 of 3', () => {
    // One every 500 ms, alive 100 + 600 = 700 ms each: #0 [0, 700), #1 [500, 1200), #2 [1000, 1700): at most 2 at once.
    const r = run([template(3, [phase('latency', 100)], { memoryBytes: 10, diskBytes: 7, lifetimeMs: 600 })], { arrivalEveryMs: 500 });
    expect(r).toMatchObject({ peakAlive: 2, peakMemoryBytes: 20, peakDiskBytes: 14, waitedForCapacity: 0, limitedBy: null });
  });
  it('the lead (cold cache) comes first; an instance requested during it counts its wait', () => {
    const r = run([template(2, [phase('latency', 10)])], { leadMs: 1000 });
    expect(ready(r)).toEqual([1010, 1010]);
    expect([...r.startedMs]).toEqual([0, 0]);
  });
  it('timelines: each non-empty phase with its span and resource, capped', () => {
    const r = run([template(3, [phase('serial', 10), phase('cpu', 0, 'nothing'), phase('latency', 50)])], { timelineCap: 2 });
    expect(r.timeline).toEqual([
      {
        service: 's',
        index: 0,
        requestedMs: 0,
        readyMs: 60,
        phases: [
          { label: 'serial', startMs: 0, endMs: 10, resource: 'serial' },
          { label: 'latency', startMs: 10, endMs: 60, resource: 'latency' },
        ],
      },
      {
        service: 's',
        index: 1,
        requestedMs: 0,
        readyMs: 70,
        phases: [
          { label: 'serial', startMs: 0, endMs: 20, resource: 'serial' },
          { label: 'latency', startMs: 20, endMs: 70, resource: 'latency' },
        ],
      },
    ]);
  });
  it('100,000 identical instances at once move as one cohort (same answer as 1 instance x the stretch)', () => {
    // 100,000 x 10 ms CPU on 100 CPUs: each gets 1/1000 of a CPU -> all ready at 10 s.
    const r = run([template(100_000, [phase('cpu', 10)])], { cpus: 100 });
    expect(r.readyMs[0]).toBeCloseTo(10_000, 6);
    expect(r.readyMs[99_999]).toBeCloseTo(10_000, 6);
  });
});

describe('the app startup is a deadline from the app start', () => {
  it('absorbs contention in the fill: two 100 ms fills on one CPU still end by the 300 ms startup', () => {
    // Alone: fill 100 ms CPU, then 200 ms more until startup = 300 ms. Two at once on one CPU share
    // it: both fills end at 200 ms, and both are ready at 300 ms (their start + 300), not 400 ms.
    const phases: Phase[] = [
      { label: 'fill', ms: 100, resource: 'cpu', note: '', mark: true },
      { label: 'rest', ms: 200, untilMs: 300, resource: 'latency', note: '' },
    ];
    expect(ready(run([template(2, phases)]))).toEqual([300, 300]);
  });

  it('is late only when the CPU work itself runs past it', () => {
    // Four 100 ms fills on one CPU end at 400 ms, past the 300 ms deadline: ready at 400 ms.
    const phases: Phase[] = [
      { label: 'fill', ms: 100, resource: 'cpu', note: '', mark: true },
      { label: 'rest', ms: 200, untilMs: 300, resource: 'latency', note: '' },
    ];
    expect(ready(run([template(4, phases)]))).toEqual([400, 400, 400, 400]);
  });
});
