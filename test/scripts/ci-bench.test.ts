// scripts/ci-bench.sh, the logic behind .github/workflows/bench.yml, with fixture reports and a
// stand-in CLI (test/scripts/fake-cli.ts): it exits 1 on a regression, 0 otherwise, 2 when the
// environments differ, and always leaves the Markdown in the job summary.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve('.');
const fixtures = join(root, 'test/fixtures/reports');
const tmp = mkdtempSync(join(tmpdir(), 'isobench-ci-bench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let runs = 0;

/** Runs the script in a fresh results folder holding `report` as report.json (for `compare`). */
function ciBench(step: 'run' | 'compare' | 'baseline' | 'ab', options: { report?: string; baseline?: string | null; env?: Record<string, string>; args?: string[] } = {}) {
  const dir = join(tmp, `run-${(runs += 1)}`);
  const results = join(dir, 'results');
  mkdirSync(results, { recursive: true });
  if (step === 'compare' && options.report !== undefined) copyFileSync(join(fixtures, options.report), join(results, 'report.json'));
  const baseline = options.baseline === null ? join(dir, 'none.json') : join(fixtures, options.baseline ?? 'base.json');
  const summary = join(dir, 'summary.md');
  const child = spawnSync('bash', [join(root, 'scripts/ci-bench.sh'), step, ...(options.args ?? [])], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      ISOBENCH_CLI: `node --import tsx ${join(root, 'test/scripts/fake-cli.ts')}`,
      ISOBENCH_RESULTS: results,
      ISOBENCH_BASELINE: step === 'baseline' ? join(dir, 'baseline.json') : baseline,
      GITHUB_STEP_SUMMARY: summary,
      ...options.env,
    },
  });
  const read = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  return { code: child.status, stderr: child.stderr, summary: read(summary), dir, results };
}

describe('scripts/ci-bench.sh compare', () => {
  it('exits 1 on a regression, with the comparison in the job summary', () => {
    const result = ciBench('compare', { report: 'regressed.json' });
    expect(result.code).toBe(1);
    expect(result.summary).toContain('**3 scenarios, 2 regressions, 1 improvement**');
    expect(result.stderr).toContain('ci-bench: regression against');
    expect(readFileSync(join(result.results, 'comparison.md'), 'utf8')).toContain('## isobench comparison');
  });

  it('exits 0 when nothing regressed', () => {
    const result = ciBench('compare', { report: 'same.json' });
    expect(result.code).toBe(0);
    expect(result.summary).toContain('**2 scenarios, 0 regressions, 0 improvements**');
  });

  it('exits 0 without a baseline and says how to make one', () => {
    const result = ciBench('compare', { report: 'same.json', baseline: null });
    expect(result.code).toBe(0);
    expect(result.summary).toContain('Create one with `npm run bench:baseline` and commit it.');
  });

  it('exits 2 when the Docker engine differs, with the reasons in the summary', () => {
    const result = ciBench('compare', { report: 'other-engine.json' });
    expect(result.code).toBe(2);
    expect(result.summary).toContain('refused or failed (exit 2)');
    expect(result.summary).toContain('environment.engines.docker.version: is 24.0.7, but 20.10.24 in the base');
  });

  it('passes ISOBENCH_COMPARE_ARGS through (--allow-env-change)', () => {
    expect(ciBench('compare', { report: 'other-engine.json', env: { ISOBENCH_COMPARE_ARGS: '--allow-env-change' } }).code).toBe(0);
  });
});

describe('scripts/ci-bench.sh run', () => {
  it('benchmarks, publishes report.md, then compares', () => {
    const result = ciBench('run', { env: { FAKE_BENCH_REPORT: join(fixtures, 'regressed.json') } });
    expect(result.code).toBe(1);
    // report.md first (written by bench, with the default real-Docker flags), then the comparison.
    expect(result.summary).toMatch(/^# isobench report\n\nbench --real docker --real-scale 0\.1 --report md,html,csv,gab\n\n## isobench comparison/);
  });

  it('stops with the bench exit code (3: engine unavailable)', () => {
    const result = ciBench('run', { env: { FAKE_BENCH_REPORT: join(fixtures, 'same.json'), FAKE_BENCH_EXIT: '3' } });
    expect(result.code).toBe(3);
    expect(result.summary).toContain('**isobench bench failed (exit 3)**');
  });
});

describe('scripts/ci-bench.sh baseline', () => {
  it('copies a model-only run to the baseline file', () => {
    const result = ciBench('baseline', { env: { FAKE_BENCH_REPORT: join(fixtures, 'model-only-a.json') } });
    expect(result.code).toBe(0);
    expect(readFileSync(join(result.dir, 'baseline.json'), 'utf8')).toBe(readFileSync(join(fixtures, 'model-only-a.json'), 'utf8'));
  });
});

describe('.github/workflows/bench.yml', () => {
  it('stays thin: node 20, npm ci, engines, tests, then this script; results kept as an artifact', async () => {
    const { parse } = await import('yaml');
    const workflow = parse(readFileSync(join(root, '.github/workflows/bench.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: { bench: { steps: { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }[] } };
    };
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const steps = workflow.jobs.bench.steps;
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci --no-audit --no-fund',
      'sudo scripts/setup-engines.sh docker',
      'npm test',
      'scripts/ci-bench.sh run',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      'scripts/ci-bench.sh ab "origin/${{ github.base_ref }}"',
      'actions/upload-artifact@v4',
    ]);
    expect(steps[0]!.with).toMatchObject({ 'fetch-depth': 0 });
    expect(steps[1]!.with).toMatchObject({ 'node-version': 20 });
    expect(steps[6]).toMatchObject({ if: "github.event_name == 'pull_request'" });
    expect(steps[7]).toMatchObject({ if: 'always()', with: { path: 'results/' } });
  });
});

describe('scripts/ci-bench.sh ab', () => {
  const ab = (head: string) => ciBench('ab', { args: ['origin/main'], env: { FAKE_AB_BASE: join(fixtures, 'base.json'), FAKE_AB_HEAD: join(fixtures, head) } });

  it('runs isobench ab BASE HEAD and exits 1 on a significant regression, with the comparison in the job summary', () => {
    const result = ab('regressed.json');
    expect(result.code).toBe(1);
    expect(readFileSync(join(result.results, 'ab', 'ab-args.txt'), 'utf8')).toBe(
      `origin/main HEAD --results ${join(result.results, 'ab')} --real docker --scenario scenarios/ab/startup-and-copy-up.yaml`,
    );
    expect(result.summary).toContain('### Measured A/B: origin/main vs HEAD');
    expect(result.summary).toContain('**3 scenarios, 2 regressions, 1 improvement**');
    expect(result.stderr).toContain('A/B: significant regression of a measured figure');
  });

  it('exits 0 when nothing regressed', () => {
    const result = ab('same.json');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('A/B: no significant regression');
  });

  it('needs the base revision', () => {
    const result = ciBench('ab');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ab needs the base revision');
  });
});
