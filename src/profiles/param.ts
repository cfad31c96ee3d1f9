// A model parameter: its value, its unit, and where the value comes from.

export interface Param {
  value: number;
  unit: 'ms' | 'bytes' | 'bytes/s' | 'ratio' | 'count' | 'ms/GiB';
  /** A figure from ../shared/reference/figures.md, a calibration, or "assumption: why". */
  source: string;
}

/** Shorthand for declaring a parameter with its source. */
export function param(value: number, unit: Param['unit'], source: string): Param {
  return { value, unit, source };
}
