// Which way is better for each metric: everything costs (smaller is better) except capacity.

import type { MetricKey } from '../report/types.js';

export type Direction = 'smaller-is-better' | 'bigger-is-better';

/** maxInstances (how many fit) is the one metric where more is better. */
export function metricDirection(key: MetricKey): Direction {
  return key === 'maxInstances' ? 'bigger-is-better' : 'smaller-is-better';
}

/** (new - base) / |base|; 0 -> 0 is no change, 0 -> x is an infinite change in the sign of x. */
export function relativeChange(base: number, next: number): number {
  if (base === 0) return next === 0 ? 0 : next > 0 ? Infinity : -Infinity;
  return (next - base) / Math.abs(base);
}

/** True when a change makes the metric worse. */
export function isWorse(key: MetricKey, change: number): boolean {
  return metricDirection(key) === 'smaller-is-better' ? change > 0 : change < 0;
}
