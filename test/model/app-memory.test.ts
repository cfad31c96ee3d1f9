// fork() copy-on-write inside one instance, by hand: 4 KiB pages, 2 MiB of page tables per GiB.

import { describe, expect, it } from 'vitest';
import { appMemory, forkPhases, type ForkParams } from '../../src/model/app-memory.js';
import { sumParts } from '../../src/model/plan.js';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { scenario, service } from './scenario-fixture.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const params: ForkParams = {
  pageBytes: 4 * KiB,
  pageTableBytesPerGiB: 2 * MiB,
  perProcessKernelBytes: 256 * KiB,
  forkMs: 0.1,
  forkMsPerGiB: 15,
  copyBytesPerSec: 1000 * 1000 ** 2,
};

describe('appMemory', () => {
  it('a single process pays its pages and page tables, all of them its own', () => {
    // 200 MiB = 51,200 pages; page tables 200/1024 x 2 MiB = 400 KiB.
    const memory = appMemory({ memoryBytes: 200 * MiB }, params);
    expect(sumParts(memory.parts)).toBe(200 * MiB + 400 * KiB);
    expect(memory.uniqueBytes).toBe(200 * MiB);
  });

  it('200 MiB parent, 8 workers writing 10%: about 200 + 8 x 20 MiB plus page tables, not 9 x 200 MiB', () => {
    const memory = appMemory({ memoryBytes: 200 * MiB, fork: { workers: 8, writesRatio: 0.1 } }, params);
    // written per worker: 10% of 200 MiB = 20 MiB = 5,120 whole pages exactly.
    // parent 200 MiB + 400 KiB tables; per worker 20 MiB + 400 KiB tables + 256 KiB kernel.
    const expected = 200 * MiB + 400 * KiB + 8 * (20 * MiB + 400 * KiB + 256 * KiB);
    expect(sumParts(memory.parts)).toBe(expected); // 365.1 MiB
    expect(expected).toBeLessThan(9 * 200 * MiB);
    // Unique: the 8 workers' 20 MiB copies and the parent's 20 MiB originals; the other 180 MiB is shared.
    expect(memory.uniqueBytes).toBe(9 * 20 * MiB);
  });

  it('0% writes: workers cost only page tables and kernel objects; nothing is unique', () => {
    const memory = appMemory({ memoryBytes: 200 * MiB, fork: { workers: 8, writesRatio: 0 } }, params);
    expect(sumParts(memory.parts)).toBe(200 * MiB + 400 * KiB + 8 * (400 * KiB + 256 * KiB));
    expect(memory.uniqueBytes).toBe(0);
  });

  it('100% writes: every worker holds a whole copy, as if each were loaded on its own', () => {
    const memory = appMemory({ memoryBytes: 200 * MiB, fork: { workers: 8, writesRatio: 1 } }, params);
    expect(sumParts(memory.parts)).toBe(9 * (200 * MiB + 400 * KiB) + 8 * 256 * KiB);
    expect(memory.uniqueBytes).toBe(9 * 200 * MiB);
  });

  it('copies whole pages: one byte written costs a 4 KiB page', () => {
    // 1 MiB parent, 1e-6 of it = 1.05 bytes -> one 4 KiB page.
    const memory = appMemory({ memoryBytes: 1 * MiB, fork: { workers: 1, writesRatio: 0.000001 } }, params);
    expect(memory.uniqueBytes).toBe(2 * 4 * KiB);
  });
});

describe('forkPhases', () => {
  it('charges fork() per GiB mapped and the copies at the copy rate', () => {
    // 1 GiB parent, 4 workers, 25%: fork 4 x (0.1 + 15) = 60.4 ms; copies 4 x 256 MiB at 1000 MB/s = 1073.7 ms.
    const [fork, writes] = forkPhases({ memoryBytes: 1024 * MiB, fork: { workers: 4, writesRatio: 0.25 } }, params);
    expect(fork!.ms).toBeCloseTo(60.4, 6);
    expect(writes!.ms).toBeCloseTo((4 * 256 * MiB) / 1e6, 6);
    expect(fork!.resource).toBe('cpu');
  });

  it('adds nothing for an app that does not fork', () => {
    expect(forkPhases({ memoryBytes: 1024 * MiB }, params)).toEqual([]);
  });
});

describe('a forking app on every platform', () => {
  // 200 MiB parent, 8 workers writing 10%: the app's part is 200 MiB + 400 KiB tables
  // + 8 x (20 MiB + 400 KiB + 256 KiB) = 365.125 MiB on the host kernel and inside the guest alike.
  const forkingApp = 200 * MiB + 400 * KiB + 8 * (20 * MiB + 400 * KiB + 256 * KiB);
  const forking = service({ app: { memoryBytes: 200 * MiB, startupMs: 1000, files: [], fork: { workers: 8, writesRatio: 0.1 } } });
  const single = service({ app: { memoryBytes: 200 * MiB, startupMs: 1000, files: [] } });
  const evaluate = (s: typeof forking) => evaluateScenario(scenario([s]), builtinCatalog());

  it('the process and the container pay the parent once and each worker its writes', () => {
    const [processResult, container] = evaluate(forking);
    const [processSingle, containerSingle] = evaluate(single);
    // A single 200 MiB process: 200 MiB + 400 KiB tables; the forking one adds the workers' 8 x 20.65625 MiB.
    const workers = forkingApp - (200 * MiB + 400 * KiB);
    expect(processResult!.metrics.memoryPerInstanceBytes! - processSingle!.metrics.memoryPerInstanceBytes!).toBe(workers);
    expect(container!.metrics.memoryPerInstanceBytes! - containerSingle!.metrics.memoryPerInstanceBytes!).toBe(workers);
  });

  it('inside a VM the same sharing happens in the guest', () => {
    const vm = evaluate(forking)[2]!;
    const guest = vm.breakdown.memory.flatMap((item) => item.children ?? []).find((item) => item.label === 'guest memory touched');
    const app = guest!.children!.find((item) => item.label.startsWith('app'));
    expect(app!.value).toBe(forkingApp);
  });

  it('charges fork() and the workers writes to startup', () => {
    const [processResult] = evaluate(forking);
    const phases = processResult!.breakdown.startup.flatMap((item) => item.children ?? []).map((item) => item.label);
    expect(phases).toEqual(expect.arrayContaining(['fork 8 worker(s)', 'workers write their share']));
  });
});
