// Merging A/B rounds, by hand: the figure is the median of the per-round values, and those values
// are the samples the comparison tests.

import { describe, expect, it } from 'vitest';
import { mergeRounds } from '../../src/ab/merge.js';
import { roundOrder } from '../../src/ab/order.js';
import type { PlatformResult, Report } from '../../src/report/types.js';
import { emptyMetrics } from '../../src/report/types.js';

function result(kind: 'measured' | 'modeled', startupFirstMs: number | null, state: PlatformResult['state'] = 'completed'): PlatformResult {
  return {
    platform: 'container',
    backend: kind === 'measured' ? 'docker' : 'model',
    state,
    profile: 'docker-runc',
    provenance:
      kind === 'measured'
        ? { kind, engine: 'docker', engineVersion: '20.10', scale: 1, instancesMeasured: 2, instancesRequested: 2, repetitions: 1 }
        : { kind, profile: 'docker-runc', profileSource: 'built-in' },
    metrics: { ...emptyMetrics(), startupFirstMs },
    breakdown: { startup: [], memory: [], disk: [], capacity: [] },
  };
}

function report(results: PlatformResult[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'isobench', version: '0.1.0' },
    runId: 'r',
    createdAt: '2026-12-01T00:00:00Z',
    partial: false,
    environment: { node: 'v20', os: 'linux', arch: 'x64', kernel: '6', cpus: 2, memoryBytes: 1, engines: {} },
    scenarios: [{ name: 's', file: 's.yaml', description: 'd', totalInstances: 2, concurrency: 2, cache: 'warm', host: {} as never, services: [], results }],
    notes: [],
  };
}

describe('mergeRounds', () => {
  it('keeps measured results only, with the median of the rounds and the rounds as samples', () => {
    const rounds = [100, 130, 110, 90, 120].map((ms) => report([result('modeled', 50), result('measured', ms)]));
    const merged = mergeRounds(rounds, 'note');
    const [only, ...rest] = merged.scenarios[0]!.results;
    expect(rest).toEqual([]);
    expect(only!.backend).toBe('docker');
    // sorted 90 100 110 120 130: median 110; mean 110.
    expect(only!.metrics.startupFirstMs).toBe(110);
    expect(only!.stats!.startupFirstMs!.samples).toEqual([100, 130, 110, 90, 120]);
    expect(only!.stats!.startupFirstMs!.mean).toBe(110);
    expect(merged.notes[0]).toBe('note');
  });

  it('leaves a figure no round measured null, without stats', () => {
    const merged = mergeRounds([report([result('measured', null)]), report([result('measured', null)])], 'n');
    expect(merged.scenarios[0]!.results[0]!.metrics.startupFirstMs).toBeNull();
    expect(merged.scenarios[0]!.results[0]!.stats!.startupFirstMs).toBeUndefined();
  });

  it('marks the result partial when a round did not complete', () => {
    const merged = mergeRounds([report([result('measured', 10)]), report([result('measured', 12, 'partial')])], 'n');
    expect(merged.scenarios[0]!.results[0]!.state).toBe('partial');
    expect(merged.scenarios[0]!.results[0]!.notes).toContain('1 of 2 round(s) did not complete');
  });
});

describe('roundOrder', () => {
  it('alternates which side goes first (ABBA), so drift hits both alike', () => {
    expect(roundOrder(4)).toEqual([
      ['base', 'head'],
      ['head', 'base'],
      ['base', 'head'],
      ['head', 'base'],
    ]);
  });
});
