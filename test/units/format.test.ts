import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMs, formatPercent, formatRate } from '../../src/units/format.js';

describe('human units', () => {
  it('bytes: binary steps, three significant digits', () => {
    // 100 MiB = 104857600; 1.5 GiB = 1610612736; 1023 stays in bytes.
    expect([0, 1023, 1024, 104857600, 1610612736, -2048].map(formatBytes)).toEqual(['0 B', '1023 B', '1.00 KiB', '100 MiB', '1.50 GiB', '-2.00 KiB']);
  });
  it('durations: µs, ms, s, min', () => {
    // 0.42 ms = 420 µs; 125000 ms = 2.083 min.
    expect([0, 0.42, 87, 1234.5, 125000].map(formatMs)).toEqual(['0 ms', '420 µs', '87.0 ms', '1.23 s', '2.08 min']);
  });
  it('rates: decimal, as disks and networks are quoted', () => {
    expect([999, 125e6, 1.25e9].map(formatRate)).toEqual(['999 B/s', '125 MB/s', '1.25 GB/s']);
  });
  it('counts and percentages', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([0.1234, -0.05, 0, Number.POSITIVE_INFINITY].map(formatPercent)).toEqual(['+12.3%', '-5.0%', '0.0%', '+inf%']);
  });
});
