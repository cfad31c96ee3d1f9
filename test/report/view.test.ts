// The shared view: ratios, model error, labels that keep modeled, measured and TCG apart, notes.

import { describe, expect, it } from 'vitest';
import type { PlatformResult } from '../../src/report/types.js';
import { formatRatio, modelError, resultHead, resultLabel, sharedNotes } from '../../src/report/view.js';
import { fixtureReport } from '../render/fixture.js';

describe('view helpers', () => {
  it('formats vm / container ratios with three significant digits, n/a when undefined or meaningless', () => {
    expect(formatRatio(5000, 500)).toBe('10.0x');
    expect(formatRatio(1, 3)).toBe('0.33x');
    expect(formatRatio(999, 1)).toBe('999x');
    // 2146x (8.38 MiB against 4 KiB) and 0.00x (0 B against 100 MiB) say little: n/a, the two figures stand beside it.
    expect(formatRatio(2146, 1)).toBe('n/a');
    expect(formatRatio(0, 100)).toBe('n/a');
    expect(formatRatio(1, 200)).toBe('n/a');
    expect(formatRatio(1, 0)).toBe('n/a');
    expect(formatRatio(null, 1)).toBe('n/a');
  });

  it('computes the model error as (model - measured) / measured', () => {
    expect(modelError(800, 1000)).toBe(-0.2); // (800 - 1000) / 1000
    expect(modelError(500, 400)).toBe(0.25); // (500 - 400) / 400
    expect(modelError(0, 0)).toBe(0);
    expect(modelError(1, 0)).toBeNull();
    expect(modelError(null, 1)).toBeNull();
  });

  it('never labels a TCG measurement like KVM', () => {
    const qemu = {
      platform: 'vm',
      backend: 'qemu',
      provenance: { kind: 'measured', engine: 'qemu', engineVersion: '7.2', accelerator: 'tcg', scale: 1, instancesMeasured: 1, instancesRequested: 1, repetitions: 1 },
    } as PlatformResult;
    expect(resultLabel(qemu)).toBe('qemu tcg (measured)');
    expect(resultHead(qemu)).toBe('qemu tcg\nmeasured');
  });

  it('collects notes found in two or more scenarios, once; labels keep different profiles apart', () => {
    const [web, ci] = fixtureReport().scenarios;
    const withNote = (s: typeof web) => ({
      ...s!,
      results: s!.results.map((r) => (r.platform === 'vm' && !r.asRun ? { ...r, notes: ['guest RAM reserved'] } : r)),
    });
    // web-app models qemu-kvm, ci-jobs qemu-tcg: the labelled notes differ, nothing is shared.
    expect(sharedNotes([withNote(web), withNote(ci)])).toEqual([]);
    const same = withNote(web);
    expect(sharedNotes([same, { ...same, name: 'copy' }])).toEqual(['vm (model, qemu-kvm): guest RAM reserved']);
  });
});
