import { describe, expect, it } from 'vitest';
import { gabEntries, renderGab } from '../../src/render/gab.js';
import { regressedReport } from '../fixtures/reports/build.js';
import { tiny } from './tiny.js';

describe('renderGab (github-action-benchmark customSmallerIsBetter)', () => {
  it('names entries scenario/platform/backend/metric, leaves out nulls and capacity', () => {
    // tiny() keeps startupFirstMs, startupP50Ms, memoryPerInstanceBytes, maxInstances; the docker result
    // has no maxInstances, and maxInstances is bigger-is-better: 3 + 3 entries.
    expect(JSON.parse(renderGab(tiny(regressedReport())))).toEqual([
      { name: 'web-app/container/model/startupFirstMs', unit: 'ms', value: 900, extra: 'modeled: profile docker-runc (built-in)' },
      { name: 'web-app/container/model/startupP50Ms', unit: 'ms', value: 800, extra: 'modeled: profile docker-runc (built-in)' },
      { name: 'web-app/container/model/memoryPerInstanceBytes', unit: 'bytes', value: 110100480, extra: 'modeled: profile docker-runc (built-in)' },
      { name: 'web-app/container/docker/startupFirstMs', unit: 'ms', value: 821, range: '±1.0%', extra: 'measured: docker 20.10.24, scale 0.1, 3/3 instances, 5 repetitions; 5 samples' },
      { name: 'web-app/container/docker/startupP50Ms', unit: 'ms', value: 1100, range: '±1.0%', extra: 'measured: docker 20.10.24, scale 0.1, 3/3 instances, 5 repetitions; 5 samples' },
      {
        name: 'web-app/container/docker/memoryPerInstanceBytes',
        unit: 'bytes',
        value: 131072000,
        range: '±1.0%',
        extra: 'measured: docker 20.10.24, scale 0.1, 3/3 instances, 5 repetitions; 3 samples',
      },
    ]);
  });

  it('renders capacity alone for a customBiggerIsBetter series', () => {
    expect(gabEntries(tiny(regressedReport()), 'bigger-is-better')).toEqual([
      { name: 'web-app/container/model/maxInstances', unit: 'count', value: 290, extra: 'modeled: profile docker-runc (built-in)' },
    ]);
  });

  it('skips failed results and marks partial ones; shows the accelerator', () => {
    const report = tiny(regressedReport());
    report.scenarios[0]!.results[0]!.state = 'failed';
    const docker = report.scenarios[0]!.results[1]!;
    docker.state = 'partial';
    docker.provenance = { kind: 'measured', engine: 'qemu', engineVersion: '7.2.0', accelerator: 'tcg', scale: 1, instancesMeasured: 2, instancesRequested: 3, repetitions: 1 };
    const entries = gabEntries(report);
    expect(entries.map((e) => e.name)).toEqual(['web-app/container/docker/startupFirstMs', 'web-app/container/docker/startupP50Ms', 'web-app/container/docker/memoryPerInstanceBytes']);
    expect(entries[0]!.extra).toBe('measured: qemu 7.2.0 tcg, scale 1, 2/3 instances, 1 repetitions (partial); 5 samples');
  });

  it('is valid JSON ending with a newline', () => {
    expect(renderGab(tiny(regressedReport())).endsWith(']\n')).toBe(true);
  });
});
