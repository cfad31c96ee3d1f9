// The CLI through `node bin/isobench.js`: help, --json, results files, exit codes, usage errors.

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, TINY } from './run-cli.js';

const dirs: string[] = [];
async function scratch(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('isobench --help', () => {
  it('documents every bench option with examples, exit 0', async () => {
    const { code, stdout } = await runCli(['bench', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--scenario <file>',
      '--json',
      '--explain',
      '--results <dir>',
      '--profile <file>',
      '--real <backends>',
      '--real-scale <n>',
      '--real-max-instances <n>',
      '--repetitions <n>',
      '--warmup <n>',
      '--instance-timeout <duration>',
      '--report <formats>',
      '--compare <base.json>',
      '--fail-on <mode>',
      '--allow-env-change',
      '--config <file>',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('npm run bench -- --real docker --real-scale 0.1');
  });

  it('lists the commands and exit codes at the top level', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/bench \[options\]/);
    expect(stdout).toMatch(/validate \[options\] <file\.\.\.>/);
    expect(stdout).toMatch(/compare \[options\] <base> <new>/);
    expect(stdout).toMatch(/clean \[options\]/);
    expect(stdout).toMatch(/calibrate \[options\]/);
    expect(stdout).toContain('3 a requested engine is unavailable or failed');
  });
});

describe('output to a closed pipe', () => {
  it('exits quietly when the reader stops early (isobench | head)', async () => {
    const { execa } = await import('execa');
    const { ROOT } = await import('./run-cli.js');
    const run = await execa('sh', ['-c', `node bin/isobench.js --scenario ${TINY} --results "$0" | head -1`, await scratch()], { cwd: ROOT, reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^isobench \d/);
    expect(run.stderr).not.toContain('EPIPE');
  });
});

describe('isobench bench', () => {
  it('--json prints only the report JSON on stdout and writes the same report to --results', async () => {
    const results = await scratch();
    const { code, stdout, stderr } = await runCli(['--scenario', TINY, '--json', '--results', results]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'isobench', version: '0.1.0' });
    expect(report.partial).toBe(false);
    expect(report.scenarios.map((s: { name: string }) => s.name)).toEqual(['tiny-web']);
    const results0 = report.scenarios[0].results as { platform: string; backend: string }[];
    expect(results0.map((r) => `${r.platform}/${r.backend}`)).toEqual(['process/model', 'container/model', 'vm/model']);
    expect(stderr).toContain(`results: ${join(results, 'report.json')}, ${join(results, 'report.md')}, ${join(results, 'report.html')}`);
    expect(JSON.parse(await readFile(join(results, 'report.json'), 'utf8'))).toEqual(report);
    expect(await readFile(join(results, 'report.md'), 'utf8')).toContain('## tiny-web');
    // The default formats (json, md, html) and nothing else, in particular no temp file.
    expect((await readdir(results)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('prints one table per scenario with modeled columns labelled, and the breakdown with --explain', async () => {
    const { code, stdout } = await runCli(['--scenario', TINY, '--explain', '--results', await scratch()]);
    expect(code).toBe(0);
    expect(stdout).toContain('== tiny-web (');
    expect(stdout).toMatch(/│ metric +│ +process │ +container │ +vm │ +vm \/ │/);
    expect(stdout).toContain('model: docker-runc');
    expect(stdout).toContain('tiny-web: container (model, docker-runc), breakdown');
    expect(stdout).toContain('Summary (model, scenarios as written)');
  });

  it('creates a missing --results folder, and keeps the last good report when a later run fails on input', async () => {
    const results = join(await scratch(), 'nested', 'results');
    expect((await runCli(['--scenario', TINY, '--results', results])).code).toBe(0);
    const before = await readFile(join(results, 'report.json'), 'utf8');
    const bad = join(await scratch(), 'bad.yaml');
    await writeFile(bad, 'name: bad\ninstnaces: 3\n');
    const { code, stdout, stderr } = await runCli(['--scenario', bad, '--results', results]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(bad);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readFile(join(results, 'report.json'), 'utf8')).toBe(before);
    expect((await readdir(results)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('refuses a --results path that is a file: exit 2, one message, the file untouched', async () => {
    const file = join(await scratch(), 'not-a-folder');
    await writeFile(file, 'keep me');
    const { code, stderr } = await runCli(['--scenario', TINY, '--results', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`results folder ${file} exists and is not a folder`);
    expect(await readFile(file, 'utf8')).toBe('keep me');
  });

  it('writes nothing when a scenario file is missing', async () => {
    const results = join(await scratch(), 'results');
    const { code, stderr } = await runCli(['--scenario', 'no/such/file.yaml', '--results', results]);
    expect(code).toBe(2);
    expect(stderr).toContain('no/such/file.yaml');
    await expect(readdir(results)).rejects.toThrow(/ENOENT/);
  });
});

describe('comparisons', () => {
  it('bench --compare prints the table, then the comparison; unchanged model -> exit 0', async () => {
    const results = await scratch();
    expect((await runCli(['--scenario', TINY, '--results', results, '--report', 'json'])).code).toBe(0);
    const base = join(await scratch(), 'baseline.json');
    await writeFile(base, await readFile(join(results, 'report.json')));
    const { code, stdout } = await runCli(['--scenario', TINY, '--results', results, '--compare', base, '--report', 'md,csv']);
    expect(code).toBe(0);
    expect(stdout.indexOf('== tiny-web')).toBeLessThan(stdout.indexOf('## isobench comparison'));
    expect(stdout).toContain('0 regressions');
    expect((await readdir(results)).sort()).toEqual(['comparison.md', 'report.csv', 'report.html', 'report.json', 'report.md']);
  });

  it('bench --compare --json keeps stdout to the JSON report', async () => {
    const results = await scratch();
    expect((await runCli(['--scenario', TINY, '--results', results])).code).toBe(0);
    const { code, stdout } = await runCli(['--scenario', TINY, '--results', results, '--compare', join(results, 'report.json'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).schemaVersion).toBe(1);
  });

  it('bench --compare with a missing baseline fails before running: exit 2, nothing written', async () => {
    const results = join(await scratch(), 'results');
    const { code, stderr } = await runCli(['--scenario', TINY, '--results', results, '--compare', 'no-such-baseline.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-baseline.json');
    await expect(readdir(results)).rejects.toThrow(/ENOENT/);
  });

  it('isobench compare: a report against itself is unchanged (exit 0); a non-report is exit 2', async () => {
    const results = await scratch();
    expect((await runCli(['--scenario', TINY, '--results', results])).code).toBe(0);
    const report = join(results, 'report.json');
    const same = await runCli(['compare', report, report]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('## isobench comparison');
    const bad = await runCli(['compare', report, join(results, 'report.md')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('report.md');
  });
});

describe('usage errors exit 2 with a message', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--repetitions', '0'], '--repetitions must be at least 1'],
    [['--repetitions', 'five'], '--repetitions must be a whole number, got "five"'],
    [['--warmup', '-1'], '--warmup'],
    [['--real-scale', '0'], '--real-scale must be at least 0.001'],
    [['--real-max-instances', '500'], '--real-max-instances 500 is above the hard limit of 200'],
    [['--real', 'dockr'], '--real: unknown backend "dockr" (did you mean "docker"?)'],
    [['--instance-timeout', '10'], '--instance-timeout: "10" needs a unit'],
    [['benhc'], 'unknown command "benhc" (did you mean "bench"?)'],
    [['--report', 'pdf'], '--report: unknown format "pdf"'],
    [['--fail-on', 'always'], '--fail-on must be "regression" or "none"'],
  ])('%j', async (args, message) => {
    const results = join(await scratch(), 'results');
    const { code, stdout, stderr } = await runCli([...args, '--scenario', TINY, '--results', results]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    await expect(readdir(results)).rejects.toThrow(/ENOENT/);
  });
});

describe('errors in one style', () => {
  it("commander's own errors read like every other message", async () => {
    const { code, stderr } = await runCli(['bench', '--explan']);
    expect(code).toBe(2);
    expect(stderr).toBe('isobench: error:\n  unknown option \'--explan\' (did you mean --explain?); see "isobench help" or "isobench COMMAND --help"');
  });

  it('a bad --profile names the file and each field in plain words', async () => {
    const dir = await scratch();
    const profile = join(dir, 'profile.json');
    await writeFile(
      profile,
      JSON.stringify({ schemaVersion: 1, kind: 'isobench-host-profile', createdAt: 'x', overrides: { 'runtimes.docker-runc.createMs': { value: '5', unit: 'ms', source: 'me' } } }),
    );
    const { code, stderr } = await runCli(['--profile', profile, '--scenario', TINY, '--results', join(dir, 'results')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${profile}: host: is required: a JSON object`);
    expect(stderr).toContain(`${profile}: overrides["runtimes.docker-runc.createMs"].value: expected a number, got the string "5"`);
    expect(stderr).not.toMatch(/Invalid input|expected record/);
  });
});

describe('isobench calibrate', () => {
  it('checks its options before measuring anything: exit 2, nothing written', async () => {
    const out = join(await scratch(), 'profile.json');
    const { code, stderr } = await runCli(['calibrate', '--samples', '0', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain('--samples must be a whole number from 1 to 100, got "0"');
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('isobench validate', () => {
  it('says ok per valid file, exit 0, and writes nothing', async () => {
    const cwd = await scratch();
    const { code, stdout } = await runCli(['validate', TINY], { cwd });
    expect(code).toBe(0);
    expect(stdout).toBe(`ok ${TINY}: tiny-web, 1 service, 2 instances`);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('exits 2 naming the file and field of each problem', async () => {
    const dir = await scratch();
    const bad = join(dir, 'bad.yaml');
    await mkdir(dir, { recursive: true });
    await writeFile(bad, (await readFile(TINY, 'utf8')).replace('instances: 2', 'instances: -2'));
    const { code, stderr } = await runCli(['validate', TINY, bad]);
    expect(code).toBe(2);
    expect(stderr).toContain(bad);
    expect(stderr).toContain('services[0].instances');
  });
});
