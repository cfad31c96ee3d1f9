import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/units/duration.js';
import { parseSize } from '../../src/units/size.js';

describe('sizes', () => {
  it('binary and decimal units; a bare 0', () => {
    // 96 MiB = 96 x 1048576 = 100663296; 2 GB = 2e9; 1.5 KiB = 1536.
    expect(['96MiB', '2 GB', '1.5KiB', '0', 0].map((t) => parseSize(t))).toEqual([
      { ok: true, bytes: 100663296 },
      { ok: true, bytes: 2e9 },
      { ok: true, bytes: 1536 },
      { ok: true, bytes: 0 },
      { ok: true, bytes: 0 },
    ]);
  });
  it('refuses a number without a unit, an unknown unit and text', () => {
    for (const bad of ['12', 12, '5 Mib', 'lots']) expect(parseSize(bad).ok).toBe(false);
  });
});

describe('durations', () => {
  it('ms, s, min; a bare 0', () => {
    expect(['250ms', '1.5s', '2min', '0'].map((t) => parseDuration(t))).toEqual([
      { ok: true, ms: 250 },
      { ok: true, ms: 1500 },
      { ok: true, ms: 120000 },
      { ok: true, ms: 0 },
    ]);
  });
  it('refuses a number without a unit and an unknown unit', () => {
    for (const bad of ['250', 3, '1h']) expect(parseDuration(bad).ok).toBe(false);
  });
});
