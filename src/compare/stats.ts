// Two-sample tests on raw measured samples: does a change stand out from the noise?
// Mann-Whitney U (rank-based, no normality assumed), exact by permutation for small samples.

import type { StatTest } from './types.js';

/** Up to this many samples in total, p comes from the exact permutation distribution of U. */
export const EXACT_MAX_TOTAL = 40;

export interface TestResult {
  test: StatTest;
  /** Two-sided p-value. */
  p: number;
  /** U of the first sample: how many (a, b) pairs have a > b, ties counting one half. */
  u: number;
  /** The smallest two-sided p these sample sizes (and ties) can give. */
  minP: number;
}

/**
 * Two-sided Mann-Whitney U test of `a` against `b`. Exact (every split of the pooled ranks, ties
 * as midranks) when n1 + n2 <= EXACT_MAX_TOTAL; otherwise the normal approximation with tie and
 * continuity correction. Pure and deterministic.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): TestResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one sample on each side');
  const { ranks, tieSizes } = midranks([...a, ...b]);
  const rankSum1 = ranks.slice(0, n1).reduce((sum, r) => sum + r, 0);
  const u = rankSum1 - (n1 * (n1 + 1)) / 2;
  if (n1 + n2 <= EXACT_MAX_TOTAL) return { test: 'permutation', u, ...exactP(ranks, n1, rankSum1) };
  return { test: 'mann-whitney-u', u, ...normalP(u, n1, n2, tieSizes) };
}

/** Ranks 1..n of the values, tied values sharing their average rank; and the size of each tie group. */
export function midranks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) ranks[order[i]!.index] = rank;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/**
 * Exact two-sided p: the share of all C(n, n1) ways to pick n1 of the pooled ranks whose rank sum is
 * at least as far from its mean as the observed one. Counted by dynamic programming over doubled
 * (integer) ranks, so no subset is enumerated and every count is exact.
 */
function exactP(ranks: readonly number[], n1: number, rankSum1: number): { p: number; minP: number } {
  const doubled = ranks.map((r) => Math.round(r * 2));
  const maxSum = doubled.reduce((sum, r) => sum + r, 0);
  // ways[k][s]: subsets of k ranks with doubled rank sum s.
  const ways: number[][] = Array.from({ length: n1 + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  ways[0]![0] = 1;
  for (const r of doubled) {
    for (let k = n1; k >= 1; k -= 1) {
      const row = ways[k]!;
      const prev = ways[k - 1]!;
      for (let s = maxSum; s >= r; s -= 1) row[s]! += prev[s - r]!;
    }
  }
  const n = ranks.length;
  const mean2 = n1 * (n + 1); // twice the mean rank sum n1 (n + 1) / 2
  const observed = Math.abs(Math.round(rankSum1 * 2) - mean2);
  const counts = ways[n1]!;
  let total = 0;
  let extreme = 0;
  let maxDeviation = 0;
  for (let s = 0; s <= maxSum; s += 1) {
    const count = counts[s]!;
    if (count === 0) continue;
    total += count;
    const deviation = Math.abs(s - mean2);
    if (deviation >= observed) extreme += count;
    maxDeviation = Math.max(maxDeviation, deviation);
  }
  let mostExtreme = 0;
  for (let s = 0; s <= maxSum; s += 1) if (Math.abs(s - mean2) === maxDeviation) mostExtreme += counts[s]!;
  return { p: extreme / total, minP: mostExtreme / total };
}

/** Normal approximation: z from U with the tie-corrected variance and a 0.5 continuity correction. */
function normalP(u: number, n1: number, n2: number, tieSizes: readonly number[]): { p: number; minP: number } {
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t ** 3 - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { p: 1, minP: 1 };
  const sd = Math.sqrt(variance);
  const p = (deviation: number): number => Math.min(1, erfc(Math.max(0, deviation - 0.5) / sd / Math.SQRT2));
  return { p: p(Math.abs(u - mean)), minP: p(mean) };
}

/** Complementary error function, fractional error below 1.2e-7 (Numerical Recipes, erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}
