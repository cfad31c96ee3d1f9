import { describe, expect, it } from 'vitest';
import { mean, meanOfMeasured, median, quantile, sampleStats, sumOfMeasured, tCritical95 } from '../../../src/backends/shared/stats.js';
import { percentiles } from '../../../src/model/phases.js';

describe('one percentile definition', () => {
  it('interpolates between ranks at (n - 1) q, as the model and tinybench do', () => {
    // [1, 2, 3, 4]: p50 at rank 1.5 -> 2.5; p99 at rank 2.97 -> 3 + 0.97 = 3.97.
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.99)).toBeCloseTo(3.97, 10);
    // The model's percentiles give the same figures on any sample.
    const samples = [12, 5, 40, 7, 7, 101, 3];
    expect(percentiles(Float64Array.from(samples), [0.5, 0.99])).toEqual([quantile(samples, 0.5), quantile(samples, 0.99)]);
  });

  it('has nothing to say about no samples: null, not 0', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(median([])).toBeNull();
    expect(mean([])).toBeNull();
    expect(meanOfMeasured([1, null])).toBeNull();
    expect(sumOfMeasured([])).toBeNull();
    expect(sumOfMeasured([1, 2])).toBe(3);
  });
});

describe('sampleStats', () => {
  it("computes mean, p50, p99 and the 95% relative margin of error with Student's t", () => {
    // samples 10, 12, 11, 30, 9: mean 72 / 5 = 14.4; sorted 9 10 11 12 30: p50 11, p99 at rank 3.96 -> 12 + 0.96 x 18 = 29.28.
    // variance = (19.36 + 5.76 + 11.56 + 243.36 + 29.16) / 4 = 77.3; sem = sqrt(77.3 / 5) = 3.9319; t(4) = 2.776;
    // rme = 3.9319 x 2.776 / 14.4 = 0.7580.
    const stats = sampleStats([10, 12, 11, 30, 9]);
    expect(stats.mean).toBeCloseTo(14.4, 10);
    expect(stats.p50).toBe(11);
    expect(stats.p99).toBeCloseTo(29.28, 10);
    expect(stats.rme).toBeCloseTo(0.758, 3);
    expect(stats.samples).toEqual([10, 12, 11, 30, 9]);
    expect(sampleStats([5]).rme).toBe(0);
  });

  it('uses the t table to 30 degrees of freedom and a close expansion beyond', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(30)).toBe(2.042);
    // Tables: t(0.975, 40) = 2.021, t(0.975, 120) = 1.980.
    expect(tCritical95(40)).toBeCloseTo(2.021, 3);
    expect(tCritical95(120)).toBeCloseTo(1.98, 3);
  });
});
