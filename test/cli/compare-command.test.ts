import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareCommand, parseComparisonFormats, type CompareCommandOptions } from '../../src/cli/compare-command.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { InputError, UsageError } from '../../src/errors.js';
import { regressedReport } from '../fixtures/reports/build.js';

const fixture = (name: string): string => join('test/fixtures/reports', name);
const tmp = mkdtempSync(join(tmpdir(), 'isobench-compare-command-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the command with captured output; cwd is an empty folder unless given (no config file). */
async function run(options: Omit<CompareCommandOptions, 'io'>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await compareCommand({
    cwd: tmp,
    ...options,
    io: {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    },
  });
  return { code, out, err };
}

describe('compareCommand exit codes', () => {
  it('0 when nothing regressed', async () => {
    const result = await run({ base: fixture('base.json'), next: fixture('same.json') });
    expect(result.code).toBe(0);
    expect(result.out).toContain('**2 scenarios, 0 regressions, 0 improvements**');
    expect(result.err).toBe('');
  });

  it('1 on a regression, 0 with --fail-on none', async () => {
    // regressed.json: 2 regressions (see test/compare/compare.test.ts).
    const failing = await run({ base: fixture('base.json'), next: fixture('regressed.json') });
    expect(failing.code).toBe(1);
    expect(failing.out).toContain('**3 scenarios, 2 regressions, 1 improvement**');
    expect((await run({ base: fixture('base.json'), next: fixture('regressed.json'), failOn: 'none' })).code).toBe(0);
  });

  it('refuses a different Docker version with exit 2, naming each field, unless --allow-env-change', async () => {
    const error = await run({ base: fixture('base.json'), next: fixture('other-engine.json') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as InputError).message).toBe(
      [
        'test/fixtures/reports/other-engine.json: environment.engines.docker.apiVersion: is 1.43, but 1.41 in the base (test/fixtures/reports/base.json)',
        'test/fixtures/reports/other-engine.json: environment.engines.docker.version: is 24.0.7, but 20.10.24 in the base (test/fixtures/reports/base.json)',
        'test/fixtures/reports/other-engine.json: scenarios[web-app].results[container/docker].provenance.engineVersion: is 24.0.7, but 20.10.24 in the base (test/fixtures/reports/base.json)',
        'test/fixtures/reports/other-engine.json: measured figures from different environments are not comparable; refusing to compare. ' +
          'Re-run the baseline on this environment (npm run bench:baseline), or pass --allow-env-change to compare anyway',
      ].join('\n'),
    );
    const allowed = await run({ base: fixture('base.json'), next: fixture('other-engine.json'), allowEnvChange: true });
    expect(allowed.code).toBe(0);
    expect(allowed.err).toContain('comparing across 3 environment difference(s)');
    expect(allowed.out).toContain('| environment.engines.docker.version | 20.10.24 | 24.0.7 | yes |');
  });

  it('compares model-only reports from different machines without refusing', async () => {
    const result = await run({ base: fixture('model-only-a.json'), next: fixture('model-only-b.json') });
    expect(result.code).toBe(0);
    expect(result.out).toContain('a modeled figure does not depend on the machine that computed it');
  });

  it('exit 2 for a broken report or config, and a bad --fail-on', async () => {
    const broken = await run({ base: fixture('truncated.json'), next: fixture('base.json') }).catch((e: unknown) => e);
    expect(exitCodeFor(broken)).toBe(2);
    const config = await run({ base: fixture('base.json'), next: fixture('same.json'), config: join(tmp, 'none.json') }).catch((e: unknown) => e);
    expect((config as InputError).message).toBe(`${join(tmp, 'none.json')}: no such file`);
    const usage = await run({ base: fixture('base.json'), next: fixture('same.json'), failOn: 'always' as 'none' }).catch((e: unknown) => e);
    expect(usage).toBeInstanceOf(UsageError);
  });
});

describe('compareCommand settings and files', () => {
  it('reads ./isobench.config.json when --config is not given', async () => {
    // Minimum effects of 25% (startup first) and 30% (startup p50) are above the +20% and +27.9% changes.
    const cwd = mkdtempSync(join(tmp, 'cwd-'));
    writeFileSync(join(cwd, 'isobench.config.json'), JSON.stringify({ compare: { minEffect: { startupFirstMs: 0.25, startupP50Ms: 0.3 } } }));
    const result = await run({ base: fixture('base.json'), next: fixture('regressed.json'), cwd });
    expect(result.code).toBe(0);
    expect(result.out).toContain(`(settings: ${join(cwd, 'isobench.config.json')})`);
  });

  it('writes the requested formats atomically into the results folder', async () => {
    const out = mkdtempSync(join(tmp, 'out-'));
    const result = await run({ base: fixture('base.json'), next: fixture('regressed.json'), reports: ['md', 'html', 'csv', 'gab'], outDir: out, print: false });
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(readdirSync(out).sort()).toEqual(['comparison.csv', 'comparison.gab.json', 'comparison.html', 'comparison.md']);
    expect(readFileSync(join(out, 'comparison.md'), 'utf8')).toContain('## isobench comparison');
    expect(readFileSync(join(out, 'comparison.html'), 'utf8')).toContain('Against baseline base-run');
  });

  it('takes the report `bench` just produced, with --compare', async () => {
    const result = await run({ base: fixture('base.json'), next: { report: regressedReport() } });
    expect(result.code).toBe(1);
    expect(result.out).toContain('Base `base-run` (test/fixtures/reports/base.json) → new `new-run`.');
  });
});

describe('parseComparisonFormats', () => {
  it('splits comma lists, keeps the formats it renders, and names unknown ones', () => {
    expect(parseComparisonFormats(['md,html', 'gab'])).toEqual(['md', 'html', 'gab']);
    expect(parseComparisonFormats(['json,md'], ['json'])).toEqual(['md']);
    expect(() => parseComparisonFormats(['md,pdf'])).toThrow('--report: unknown format "pdf"; choose from md, html, csv, gab');
  });
});
