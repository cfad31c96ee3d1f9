import { describe, expect, it } from 'vitest';
import { EXACT_MAX_TOTAL, erfc, mannWhitneyU, midranks } from '../../src/compare/stats.js';

describe('midranks', () => {
  it('gives tied values their average rank', () => {
    // sorted: 1 | 2 2 2 | 3 -> ranks 1 | (2+3+4)/3 = 3 | 5
    expect(midranks([2, 1, 2, 3, 2])).toEqual({ ranks: [3, 1, 3, 5, 3], tieSizes: [1, 3, 1] });
  });
});

describe('mannWhitneyU, exact permutation distribution (small samples)', () => {
  it('[1,2,3] vs [4,5,6]: U = 0, p = 2/20', () => {
    // C(6,3) = 20 splits; only {1,2,3} (U=0) and {4,5,6} (U=9) are as far from the mean U of 4.5.
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({ test: 'permutation', u: 0, p: 0.1, minP: 0.1 });
  });

  it('is symmetric in its samples', () => {
    // U of the other side is n1*n2 - U = 9; the two-sided p is the same.
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])).toEqual({ test: 'permutation', u: 9, p: 0.1, minP: 0.1 });
  });

  it('handles ties with midranks: [1,2,2] vs [2,3,4] gives p = 6/20', () => {
    // Pooled ranks 1 | 3 3 3 | 5 | 6. R1 = 1+3+3 = 7, U = 7 - 6 = 1, mean R1 = 10.5, |7 - 10.5| = 3.5.
    // Rank sums of 3 of {1,3,3,3,5,6} at least 3.5 away: {1,3,3} (sum 7) three ways,
    // {3,5,6} (sum 14) three ways: 6 of 20.
    const result = mannWhitneyU([1, 2, 2], [2, 3, 4]);
    expect(result.test).toBe('permutation');
    expect(result.u).toBe(1);
    expect(result.p).toBeCloseTo(0.3, 12);
  });

  it('5 vs 5 fully separated: p = 2/252, below 0.01', () => {
    // C(10,5) = 252 splits, two of them as extreme.
    const result = mannWhitneyU([10, 11, 12, 13, 14], [20, 21, 22, 23, 24]);
    expect(result.p).toBeCloseTo(2 / 252, 12);
    expect(result.minP).toBeCloseTo(2 / 252, 12);
  });

  it('identical constant samples: p = 1', () => {
    // Every split has the same rank sum, so every split is "as extreme".
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).p).toBe(1);
  });

  it('one sample each can never be significant: minP = 1', () => {
    // C(2,1) = 2 splits, both equally far from the mean.
    expect(mannWhitneyU([1], [100])).toMatchObject({ p: 1, minP: 1 });
  });

  it('rejects an empty side', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});

describe('mannWhitneyU, normal approximation (large samples)', () => {
  it(`uses it above ${EXACT_MAX_TOTAL} samples: 1..25 vs 26..50`, () => {
    // U = 0, mean 312.5, sd = sqrt(25*25/12 * 51) = 51.539; z = (312.5 - 0.5) / 51.539 = 6.0537;
    // p = erfc(z / sqrt 2) = 1.4157e-9 (scipy.stats.mannwhitneyu asymptotic, continuity on: 1.41566e-9).
    const a = Array.from({ length: 25 }, (_, i) => i + 1);
    const b = Array.from({ length: 25 }, (_, i) => i + 26);
    const result = mannWhitneyU(a, b);
    expect(result.test).toBe('mann-whitney-u');
    expect(result.u).toBe(0);
    expect(result.p / 1.4156562e-9).toBeCloseTo(1, 4);
  });

  it('corrects the variance for ties', () => {
    // a = ten 1s, fifteen 2s; b = ten 2s, fifteen 3s. Ties: 10, 25, 15 -> sum(t^3 - t) = 990 + 15600 + 3360 = 19950.
    // var = 625/12 * (51 - 19950/2450) = 2232.14, sd = 47.246; U = 75: z = (312.5 - 75 - 0.5) / 47.246 = 5.0163;
    // p = 5.2664e-7 (scipy: 5.266387e-7).
    const a = [...Array<number>(10).fill(1), ...Array<number>(15).fill(2)];
    const b = [...Array<number>(10).fill(2), ...Array<number>(15).fill(3)];
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(75);
    expect(result.p / 5.266387e-7).toBeCloseTo(1, 4);
  });
});

describe('erfc', () => {
  it('matches known values', () => {
    // erfc(0) = 1; erfc(1.959964/sqrt 2) = 0.05 (the two-sided 5% point); erfc(-x) = 2 - erfc(x).
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1.959964 / Math.SQRT2)).toBeCloseTo(0.05, 6);
    expect(erfc(-1)).toBeCloseTo(2 - erfc(1), 12);
  });
});
