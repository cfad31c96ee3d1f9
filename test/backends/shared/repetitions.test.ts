import { describe, expect, it } from 'vitest';
import type { InstanceOutcome } from '../../../src/backends/shared/instances.js';
import { runRepetitions, withDeclaredStartup } from '../../../src/backends/shared/repetitions.js';
import { CleanupStack } from '../../../src/backends/shared/cleanup.js';
import { startupSummary } from '../../../src/backends/shared/startup.js';
import { EngineError } from '../../../src/errors.js';

/** A ready instance: requested at `at`, ready `ms` later, in `wave`. */
function ready(index: number, wave: number, at: number, ms: number, service = 'web'): InstanceOutcome {
  return { state: 'ready', index, service, id: `i${index}`, phases: { engine: ms }, requestedAtMs: at, startupMs: ms, readyAtMs: at + ms, wave };
}

describe('withDeclaredStartup', () => {
  it('extends each app phase to the declared startup, as the sleeping app does, and replays the waves', () => {
    // Concurrency 2, 3 instances, one 100 ms phase each, declared startup 1000 ms: the app sleeps the
    // other 900 ms. Really: wave 0 at 0 -> ready 100; wave 1 at 100 -> ready 200.
    // Slept: wave 0 ready at 1000; wave 1 starts at 1000 (shift 900), ready at 1000 + 1000 = 2000.
    const out = withDeclaredStartup([ready(0, 0, 0, 100), ready(1, 0, 0, 100), ready(2, 1, 100, 100)], () => 1000, 60_000);
    expect(out.map((o) => (o.state === 'ready' ? [o.requestedAtMs, o.startupMs, o.readyAtMs, o.phases.engine] : null))).toEqual([
      [0, 1000, 1000, 1000],
      [0, 1000, 1000, 1000],
      [1000, 1000, 2000, 1000],
    ]);
  });

  it("adds nothing when the app's own work took longer than its declared startup", () => {
    const [out] = withDeclaredStartup([ready(0, 0, 0, 1500)], () => 1000, 60_000);
    expect(out).toEqual(ready(0, 0, 0, 1500));
  });

  it('turns a start that now exceeds the instance timeout into a timeout', () => {
    const [out] = withDeclaredStartup([ready(0, 0, 0, 100)], () => 600_000, 2_000);
    expect(out).toMatchObject({ state: 'failed', reason: 'timeout' });
    expect(out!.state === 'failed' && out!.message).toMatch(/^no ready marker within 2 s \(the declared app startup of 600000 ms, after the measured 100 ms start\)/);
  });
});

describe('runRepetitions', () => {
  const options = (extra: object = {}) => ({
    runId: 'r',
    scale: 1,
    maxInstances: 2,
    repetitions: 3,
    warmup: 1,
    instanceTimeoutMs: 60_000,
    signal: new AbortController().signal,
    cleanup: new CleanupStack(),
    progress: () => {},
    ...extra,
  });

  it('names the smaller warm-up batch a backend runs (warmupInstances) on its progress line', async () => {
    const lines: string[] = [];
    await runRepetitions({
      backend: 'test',
      instances: 6,
      warmupInstances: 2,
      options: options({ repetitions: 1, progress: (l: string) => lines.push(l) }),
      runBatch: async () => ({ outcomes: [ready(0, 0, 0, 10)], extra: null }),
    });
    // One warm-up of 2 (one per service), then the one measured batch of all 6.
    expect(lines).toEqual(['test: warm-up 1/1 of 2 instance(s)', 'test: batch 1/1 of 6 instance(s)']);
  });

  it('runs warm-up then measured batches, keeps only the measured, reports progress and batches done', async () => {
    const lines: string[] = [];
    const done: string[] = [];
    let calls = 0;
    const result = await runRepetitions({
      backend: 'test',
      instances: 1,
      options: options({ progress: (l: string) => lines.push(l), onBatch: (d: number, t: number) => done.push(`${d}/${t}`) }),
      runBatch: async ({ measured, last }) => ({ outcomes: [ready(0, 0, 0, 10 * ++calls)], extra: { measured, last } }),
    });
    expect(lines).toEqual(['test: warm-up 1/1 of 1 instance(s)', 'test: batch 1/3 of 1 instance(s)', 'test: batch 2/3 of 1 instance(s)', 'test: batch 3/3 of 1 instance(s)']);
    expect(done).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(result.batches.map((b) => b.extra)).toEqual([
      { measured: true, last: false },
      { measured: true, last: false },
      { measured: true, last: true },
    ]);
    // Starts of 20, 30, 40 ms in the measured batches: each metric is the mean of per-batch figures, 30.
    const summary = startupSummary(
      result.batches.map((b) => b.outcomes),
      [{ label: 'engine', note: 'n' }],
    );
    expect(summary.metrics.startupP99Ms).toBe(30);
    expect(summary.stats.startupP99Ms?.samples).toEqual([20, 30, 40]);
  });

  it('stops at an engine fault and returns what the batches before it measured', async () => {
    let calls = 0;
    const result = await runRepetitions({
      backend: 'test',
      instances: 1,
      options: options(),
      runBatch: async () => {
        calls += 1;
        if (calls === 3) throw new EngineError('daemon gone');
        return { outcomes: [ready(0, 0, 0, 10)], extra: null };
      },
    });
    expect(result.batches).toHaveLength(1);
    expect(result.engineError?.message).toBe('daemon gone');
  });

  it('stops after a batch with a failed instance under --on-instance-failure stop', async () => {
    const failed: InstanceOutcome = { state: 'failed', index: 0, service: 'web', id: null, reason: 'exited', message: 'gone' };
    const result = await runRepetitions({ backend: 'test', instances: 1, options: options({ warmup: 0, onInstanceFailure: 'stop' }), runBatch: async () => ({ outcomes: [failed], extra: null }) });
    expect(result.batches).toHaveLength(1);
    expect(result.failures).toEqual(['batch 1: 1 instance of web exited before ready: gone']);
  });
});
