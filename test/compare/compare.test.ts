import { describe, expect, it } from 'vitest';
import { compareReports, comparisonRows } from '../../src/compare/compare.js';
import { DEFAULT_COMPARE_CONFIG, resolveCompareConfig } from '../../src/compare/config.js';
import type { MetricComparison } from '../../src/compare/types.js';
import { baseReport, modelOnlyReport, otherEngineReport, regressedReport, sameReport } from '../fixtures/reports/build.js';

/** The row of one scenario/platform/backend/metric. */
function row(comparison: ReturnType<typeof compareReports>, path: string): MetricComparison {
  const [scenario, platform, backend, metric] = path.split('/');
  const found = comparisonRows(comparison).find((r) => r.scenario === scenario && r.result.platform === platform && r.result.backend === backend && r.row.metric === metric);
  if (found === undefined) throw new Error(`no row ${path}`);
  return found.row;
}

describe('compareReports on identical figures', () => {
  const comparison = compareReports(baseReport(), sameReport());

  it('finds nothing changed, and nothing in the environment that matters', () => {
    // base.json: web-app 3 model results x 11 metrics + docker 6 metrics + microservices 2 x 11 = 61 rows;
    // the docker disk figures (3) carry no samples, so they are untested.
    expect(comparison.summary).toEqual({ scenarios: 2, regressions: 0, improvements: 0, unchanged: 61, added: 0, removed: 0, untested: 3 });
    // The docker "containers" count differs, but it is not an identity fact of the engine.
    expect(comparison.environment).toEqual({ differences: [], measuredPairs: 1, note: 'Same environment for every measured figure.' });
  });

  it('says why a measured figure without samples was not tested', () => {
    // diskPerInstanceBytes of the docker result has a value but no samples.
    expect(row(comparison, 'web-app/container/docker/diskPerInstanceBytes').decidedBy).toEqual({ kind: 'untested', reason: 'no samples on either side' });
  });
});

describe('compareReports on a run with changes (see regressedReport for the figures)', () => {
  const comparison = compareReports(baseReport(), regressedReport(), DEFAULT_COMPARE_CONFIG, { base: 'base.json', new: 'new.json' });

  it('counts 2 regressions, 1 improvement, 11 added figures of the new scenario', () => {
    expect(comparison.summary).toEqual({ scenarios: 3, regressions: 2, improvements: 1, unchanged: 58, added: 11, removed: 0, untested: 3 });
    expect(comparison.base).toEqual({ runId: 'base-run', createdAt: '2026-11-28T10:00:00.000Z', file: 'base.json' });
  });

  it('a modeled +20% is a deterministic regression', () => {
    // 750 → 900 ms: (900 - 750) / 750 = 0.2 >= 0.1.
    expect(row(comparison, 'web-app/container/model/startupFirstMs')).toEqual({
      metric: 'startupFirstMs',
      unit: 'ms',
      provenance: 'modeled',
      base: 750,
      new: 900,
      change: 0.2,
      minEffect: 0.1,
      verdict: 'regression',
      decidedBy: { kind: 'deterministic' },
    });
  });

  it('a modeled -5% is unchanged (below the minimum effect) but keeps its number', () => {
    // 300 → 285 MiB: -15/300 = -0.05.
    expect(row(comparison, 'web-app/vm/model/memoryPerInstanceBytes')).toMatchObject({ change: -0.05, verdict: 'unchanged' });
  });

  it('more capacity is an improvement: maxInstances is bigger-is-better', () => {
    // 60 → 72: +0.2.
    expect(row(comparison, 'web-app/vm/model/maxInstances')).toMatchObject({ change: 0.2, verdict: 'improvement' });
  });

  it('a measured +28% with 5 vs 5 separated samples is a regression by the exact permutation test', () => {
    // p50 of [850..870] is 860, of [1090..1110] is 1100: +240/860 = 0.27907. p = 2/252.
    const r = row(comparison, 'web-app/container/docker/startupP50Ms');
    expect(r.verdict).toBe('regression');
    expect(r.change).toBeCloseTo(240 / 860, 12);
    expect(r.decidedBy).toEqual({ kind: 'test', test: 'permutation', p: 2 / 252, alpha: 0.01, samples: [5, 5], minP: 2 / 252 });
  });

  it('a measured change inside the noise is unchanged', () => {
    // Means 820 → 821; the samples interleave: p = 0.69 (174 of 252 splits at least as extreme).
    const r = row(comparison, 'web-app/container/docker/startupFirstMs');
    expect(r.verdict).toBe('unchanged');
    expect(r.decidedBy).toMatchObject({ kind: 'test', test: 'permutation' });
    expect(r.decidedBy.kind === 'test' && r.decidedBy.p).toBeCloseTo(174 / 252, 12);
  });

  it('a measured +14.7% with only 3 vs 3 samples cannot reach p < 0.01: unchanged', () => {
    // The smallest possible p for 3 vs 3 is 2/20 = 0.1.
    expect(row(comparison, 'web-app/container/docker/memoryPerInstanceBytes')).toMatchObject({
      verdict: 'unchanged',
      decidedBy: { kind: 'test', p: 0.1, minP: 0.1 },
    });
  });

  it('marks the new scenario as added', () => {
    const added = comparison.scenarios.find((s) => s.name === 'ci-jobs')!;
    expect(added.status).toBe('added');
    expect(added.results[0]!.metrics.every((m) => m.verdict === 'added' && m.base === null && m.change === null)).toBe(true);
  });

  it('the reverse comparison swaps regressions and improvements, and removes the scenario', () => {
    const reverse = compareReports(regressedReport(), baseReport());
    // 900 → 750 is -16.7% (improvement); 1100 → 860 -21.8% (improvement); 72 → 60 is -16.7% capacity (regression).
    expect(reverse.summary).toMatchObject({ regressions: 1, improvements: 2, removed: 11 });
    expect(reverse.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['web-app', 'both'],
      ['microservices', 'both'],
      ['ci-jobs', 'removed'],
    ]);
  });
});

describe('compareReports settings', () => {
  it('a per-metric minimum effect of 25% turns the +20% startup into unchanged', () => {
    const config = resolveCompareConfig({ compare: { minEffect: { startupFirstMs: 0.25 } } }, 'isobench.config.json');
    const comparison = compareReports(baseReport(), regressedReport(), config);
    expect(row(comparison, 'web-app/container/model/startupFirstMs')).toMatchObject({ minEffect: 0.25, verdict: 'unchanged' });
    expect(comparison.summary.regressions).toBe(1);
  });

  it('alpha 0.2 lets the 3 vs 3 memory samples (p = 0.1) count', () => {
    const config = resolveCompareConfig({ compare: { alpha: 0.2 } }, 'c.json');
    expect(row(compareReports(baseReport(), regressedReport(), config), 'web-app/container/docker/memoryPerInstanceBytes').verdict).toBe('regression');
  });

  it('a change of exactly the minimum effect counts', () => {
    // 750 → 825 is +10.000...% in floating point; it must count as 10%.
    const next = baseReport();
    next.scenarios[0]!.results[1]!.metrics.startupFirstMs = 825;
    expect(row(compareReports(baseReport(), next), 'web-app/container/model/startupFirstMs').verdict).toBe('regression');
  });

  it('from zero to something is an infinite change', () => {
    const next = baseReport();
    next.scenarios[0]!.results[0]!.metrics.memorySharedBytes = 1024;
    expect(row(compareReports(baseReport(), next), 'web-app/process/model/memorySharedBytes')).toMatchObject({ change: Infinity, verdict: 'regression' });
  });
});

describe('compareReports notes', () => {
  it('a changed profile and a failed result', () => {
    const next = baseReport();
    const container = next.scenarios[0]!.results[1]!;
    container.profile = 'crun';
    container.provenance = { kind: 'modeled', profile: 'crun', profileSource: 'profiles/calibrated.json' };
    next.scenarios[0]!.results[3]!.state = 'failed';
    next.scenarios[0]!.results[3]!.error = 'engine stopped';
    const results = compareReports(baseReport(), next).scenarios[0]!.results;
    expect(results[1]!.notes).toEqual(['profile docker-runc → crun', 'profile source built-in → profiles/calibrated.json']);
    expect(results[3]!.notes).toEqual(['new: failed (engine stopped)']);
  });

  it('scenario input changes explain modeled changes', () => {
    const next = baseReport();
    next.scenarios[0]!.host = { ...next.scenarios[0]!.host, cpus: 16 };
    next.scenarios[0]!.services = [{ name: 'app', instances: 5 }];
    next.scenarios[0]!.totalInstances = 5;
    expect(compareReports(baseReport(), next).scenarios[0]!.inputChanges).toEqual(['totalInstances 3 → 5', 'host.cpus 8 → 16', 'services appx3 → appx5']);
  });
});

describe('compareReports environment', () => {
  it('a different Docker version blocks the measured comparison', () => {
    const comparison = compareReports(baseReport(), otherEngineReport());
    expect(comparison.environment.differences).toEqual([
      { field: 'environment.engines.docker.apiVersion', base: '1.41', new: '1.43', blocking: true },
      { field: 'environment.engines.docker.version', base: '20.10.24', new: '24.0.7', blocking: true },
      { field: 'scenarios[web-app].results[container/docker].provenance.engineVersion', base: '20.10.24', new: '24.0.7', blocking: true },
    ]);
    expect(comparison.environment.note).toMatch(/refused unless --allow-env-change/);
  });

  it('model-only reports from different machines are compared, with the differences shown but not blocking', () => {
    const comparison = compareReports(modelOnlyReport('6.1.0-25-cloud-amd64', 2, 'a'), modelOnlyReport('6.8.0-1017-azure', 4, 'b'));
    expect(comparison.environment).toEqual({
      differences: [
        { field: 'environment.kernel', base: '6.1.0-25-cloud-amd64', new: '6.8.0-1017-azure', blocking: false },
        { field: 'environment.cpus', base: '2', new: '4', blocking: false },
      ],
      measuredPairs: 0,
      note: 'Only modeled figures are compared: a modeled figure does not depend on the machine that computed it, so these differences do not block the comparison.',
    });
    expect(comparison.summary.regressions).toBe(0);
  });

  it('a different kernel blocks once measured figures are on both sides', () => {
    const next = sameReport();
    next.environment = { ...next.environment, kernel: '6.8.0', node: 'v22.3.0' };
    expect(compareReports(baseReport(), next).environment.differences).toEqual([
      { field: 'environment.kernel', base: '6.1.0-25-cloud-amd64', new: '6.8.0', blocking: true },
      { field: 'environment.node', base: 'v20.11.1', new: 'v22.3.0', blocking: true },
    ]);
  });

  it('a node patch release and 1% less memory are the same machine', () => {
    const next = sameReport();
    next.environment = { ...next.environment, node: 'v20.18.0', memoryBytes: next.environment.memoryBytes * 0.99 };
    expect(compareReports(baseReport(), next).environment.differences).toEqual([]);
  });

  it('a different real-scale blocks even on the same machine', () => {
    const next = sameReport();
    const docker = next.scenarios[0]!.results[3]!;
    if (docker.provenance.kind === 'measured') docker.provenance.scale = 1;
    expect(compareReports(baseReport(), next).environment.differences).toEqual([{ field: 'scenarios[web-app].results[container/docker].provenance.scale', base: '0.1', new: '1', blocking: true }]);
  });
});

describe('compareReports with an as-run model result beside the written one', () => {
  it('matches them separately and names the as-run one', () => {
    const withAsRun = (): ReturnType<typeof baseReport> => {
      const report = baseReport();
      const written = report.scenarios[0]!.results[1]!;
      const asRun = { ...structuredClone(written), asRun: { scale: 0.1, instances: 3, instancesRequested: 3, host: 'this machine: 2 cpus, 24 GiB' } };
      report.scenarios[0]!.results.splice(3, 0, asRun);
      return report;
    };
    const next = withAsRun();
    next.scenarios[0]!.results[3]!.metrics.startupFirstMs = 600; // the as-run model: 750 -> 600 ms, -20%
    next.scenarios[0]!.results[3]!.asRun!.host = 'this machine: 4 cpus, 16 GiB';
    const comparison = compareReports(withAsRun(), next);
    const results = comparison.scenarios[0]!.results;
    expect(results.map((r) => r.key)).toEqual(['process/model', 'container/model', 'vm/model', 'container/model-as-run', 'container/docker']);
    expect(results[3]!.name).toBe('container · model as run');
    expect(results[3]!.notes).toEqual(['as run: host this machine: 2 cpus, 24 GiB → this machine: 4 cpus, 16 GiB']);
    expect(row(comparison, 'web-app/container/model/startupFirstMs').verdict).toBe('unchanged');
    expect(results[3]!.metrics[0]).toMatchObject({ metric: 'startupFirstMs', change: -0.2, verdict: 'improvement' });
  });
});

describe('compareReports engine facts', () => {
  it('compares identity facts as the docker backend records them, and ignores the rest', () => {
    // The facts of the real docker backend on this machine (2026-11), then a rootless engine on
    // another socket: rootless and cgroup driver matter; the endpoint does not.
    const facts = {
      endpoint: 'unix:///var/run/docker.sock',
      engineVersion: '20.10.24+dfsg1',
      apiVersion: '1.41',
      storageDriver: 'overlay2',
      containerdImageStore: false,
      cgroupVersion: '1',
      cgroupDriver: 'cgroupfs',
      operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      defaultRuntime: 'runc',
      runtimes: 'runc',
      rootless: false,
      engineInVm: false,
      local: true,
    };
    const base = baseReport();
    base.environment.engines = { docker: facts };
    const next = sameReport();
    next.environment.engines = { docker: { ...facts, endpoint: 'unix:///run/user/1000/docker.sock', rootless: true, cgroupDriver: 'systemd', local: false } };
    expect(compareReports(base, next).environment.differences).toEqual([
      { field: 'environment.engines.docker.cgroupDriver', base: 'cgroupfs', new: 'systemd', blocking: true },
      { field: 'environment.engines.docker.rootless', base: 'false', new: 'true', blocking: true },
    ]);
  });
});
