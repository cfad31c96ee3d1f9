// Building calibration overrides: a parameter is written only from a figure that was measured; one
// that was not is listed with why, never written as 0 or as another figure.

import type { MeasuredBurst } from '../../model/fit-start-serial.js';
import { percentiles } from '../../model/phases.js';
import type { Param } from '../../profiles/param.js';
import type { Calibration } from '../types.js';

/** Collects overrides and refusals for one backend's calibration. */
export class CalibrationWriter {
  readonly overrides: Record<string, Param> = {};
  readonly notMeasured: string[] = [];
  readonly #source: (how: string) => string;

  constructor(source: (how: string) => string) {
    this.#source = source;
  }

  /** Writes `path` when `value` was measured (finite, not negative); else records why not. */
  set(path: string, value: number | null, unit: Param['unit'], how: string, missing = 'its probe measured nothing'): void {
    if (value === null || !Number.isFinite(value)) {
      this.notMeasured.push(`${path}: not written: ${missing}`);
      return;
    }
    if (value < 0) {
      this.notMeasured.push(`${path}: not written: measured ${round(value, unit)} ${unit}, below 0 (${how})`);
      return;
    }
    this.overrides[path] = { value: round(value, unit), unit, source: this.#source(how) };
  }

  result(host: Calibration['host'] = {}): Calibration {
    return { overrides: this.overrides, host, notMeasured: this.notMeasured };
  }
}

function round(value: number, unit: Param['unit']): number {
  if (unit === 'ms') return Math.round(value * 100) / 100;
  if (unit === 'ratio' || unit === 'ms/GiB') return Math.round(value * 10000) / 10000;
  return Math.round(value);
}

/**
 * A burst of `instances` starts from each batch's ready times (ms from the batch start): the mean
 * over the complete batches of their first, p50 and last ready; null when no batch was complete. Pure.
 */
export function burstOf(instances: number, batches: readonly (readonly number[])[]): MeasuredBurst | null {
  const complete = batches.filter((ready) => ready.length === instances && instances > 0);
  if (complete.length === 0) return null;
  const figures = complete.map((ready) => ({ first: Math.min(...ready), p50: percentiles(Float64Array.from(ready), [0.5])[0]!, all: Math.max(...ready) }));
  const mean = (pick: (f: (typeof figures)[number]) => number): number => figures.reduce((sum, f) => sum + pick(f), 0) / figures.length;
  return { instances, firstMs: mean((f) => f.first), p50Ms: mean((f) => f.p50), allMs: mean((f) => f.all) };
}
