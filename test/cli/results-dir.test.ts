// Where reports go without --results, and what --report adds (issue 13: no surprises).

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultResultsDir } from '../../src/cli/results-dir.js';
import { runCli, tempDir, TINY } from './run-cli.js';

describe('defaultResultsDir', () => {
  it('is results/ beside the scenarios/ folder the files come from', () => {
    expect(defaultResultsDir(['scenarios/a.yaml', 'scenarios/b.yaml'], '/work/p')).toBe('results');
    // The install's own scenarios, run from another folder: results beside them, not in the current folder.
    expect(defaultResultsDir(['/opt/isobench/scenarios/a.yaml'], '/home/me')).toBe('/opt/isobench/results');
    expect(defaultResultsDir(['../other/scenarios/a.yaml'], '/work/p')).toBe('/work/other/results');
  });
  it('is results/ in the current folder for files elsewhere or from several folders', () => {
    expect(defaultResultsDir(['/tmp/my.yaml'], '/work/p')).toBe('results');
    expect(defaultResultsDir(['/a/scenarios/x.yaml', '/b/scenarios/y.yaml'], '/work/p')).toBe('results');
  });
});

describe('--report adds files, never drops the HTML', () => {
  it('--report csv writes json, md, html and csv', async () => {
    const results = await tempDir();
    expect((await runCli(['--scenario', TINY, '--results', results, '--report', 'csv'])).code).toBe(0);
    expect((await readdir(results)).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
  });
});

describe('--explain PLATFORM', () => {
  it('shows only that platform’s breakdown', async () => {
    const { code, stdout } = await runCli(['--scenario', TINY, '--results', await tempDir(), '--explain', 'vm']);
    expect(code).toBe(0);
    expect(stdout).toContain('tiny-web: vm (model, qemu-kvm), breakdown');
    expect(stdout).not.toContain('tiny-web: container (model, docker-runc), breakdown');
    const bad = await runCli(['--scenario', TINY, '--results', join(await tempDir(), 'r'), '--explain', 'vms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--explain: unknown platform "vms" (did you mean "vm"?)');
  });
});
