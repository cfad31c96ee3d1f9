// Statistics of measured samples, one policy for every real backend. Pure: no clock, no I/O.
// Percentiles are the model's own (src/model/phases.ts `percentiles`: linear interpolation between
// the closest ranks at (n - 1) q, as tinybench computes them), so a measured p99 and a modeled p99
// are one definition, not two copies.

import { percentiles } from '../../model/phases.js';
import type { SampleStats } from '../../report/types.js';

/** Arithmetic mean; null for no values (nothing measured is not 0). */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Mean of values that may be unmeasured: null when any is null, or when there are none. */
export function meanOfMeasured(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : mean(values as number[]);
}

/** Sum of values that may be unmeasured: null when any is null, or when there are none. */
export function sumOfMeasured(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((sum, v) => sum + v, 0);
}

/** The q-quantile (q in [0, 1]) by linear interpolation between ranks at (n - 1) q; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  return percentiles(Float64Array.from(values), [q])[0]!;
}

/** The median (the 0.5 quantile: mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
  2.042,
];

/** Student's t 0.975 quantile: the table to 30 degrees of freedom, then a Cornish-Fisher expansion (error < 1e-3). */
export function tCritical95(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T_975[Math.round(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/**
 * Mean, p50, p99 and relative margin of error (95%, Student's t, as tinybench computes it; a
 * fraction, not percent) of the samples. One sample has no spread: rme 0. Throws for none: a
 * metric with no sample has no stats (the caller leaves it out).
 */
export function sampleStats(samples: readonly number[]): SampleStats {
  if (samples.length === 0) throw new RangeError('sampleStats needs at least one sample');
  const m = mean(samples)!;
  let rme = 0;
  if (samples.length > 1) {
    const variance = samples.reduce((sum, v) => sum + (v - m) ** 2, 0) / (samples.length - 1);
    const sem = Math.sqrt(variance) / Math.sqrt(samples.length);
    rme = m === 0 ? 0 : (sem * tCritical95(samples.length - 1)) / Math.abs(m);
  }
  return { samples: [...samples], mean: m, p50: quantile(samples, 0.5)!, p99: quantile(samples, 0.99)!, rme };
}
