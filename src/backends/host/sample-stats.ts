// Statistics of measured samples, computed by tinybench so every backend reports spread the same way.

import { Bench } from 'tinybench';
import type { SampleStats } from '../../report/types.js';

/**
 * Mean, p50, p99 and relative margin of error of `samples`, as tinybench computes them. Batch runs
 * (a whole wave of containers) do not fit tinybench's timed loop, so each sample we measured is fed
 * back through tinybench's `overriddenDuration`: the numbers are tinybench's own. `rme` is a fraction
 * (tinybench prints percent); with one sample there is no spread and `rme` is 0.
 */
export async function sampleStats(samples: readonly number[]): Promise<SampleStats> {
  if (samples.length === 0) throw new RangeError('sampleStats needs at least one sample');
  let next = 0;
  const bench = new Bench({ iterations: samples.length, time: 0, warmup: false, retainSamples: false });
  bench.add('samples', () => ({ overriddenDuration: samples[next++] ?? 0 }), { async: false });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.state !== 'completed') throw new Error(`tinybench did not complete: ${result?.state ?? 'no result'}`);
  const { mean, p50, p99, rme } = result.latency;
  return {
    samples: [...samples],
    mean,
    p50,
    p99,
    rme: samples.length < 2 || !Number.isFinite(rme) ? 0 : rme / 100,
  };
}
