// Every bad scenario through the REAL CLI, as a user would run it: `isobench validate FILE` and
// `isobench bench --scenario FILE --results DIR` must exit 2, name the file and the field on stderr,
// print no stack trace, and write nothing into DIR. (Without --real, bench starts no engine.)

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedBadCases, generatedBadCases, type BadScenarioCase } from '../fixtures/bad-scenarios/cases.js';
import { ROOT, runCli } from './run-cli.js';

const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const committed = committedBadCases();
let scratch = '';
let generated: BadScenarioCase[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-bad-cli-'));
  generated = await generatedBadCases(scratch);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A stack frame line such as "    at main (file.js:1:2)". */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

function expectRefused(run: { code: number | undefined; stdout: string; stderr: string }, entry: BadScenarioCase): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain(entry.file);
  if (entry.path !== '') expect(run.stderr).toContain(` ${entry.path}:`);
  expect(run.stderr).toContain(entry.message);
  if (entry.suggestion !== undefined) expect(run.stderr).toContain(`did you mean "${entry.suggestion}"?`);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stdout).toBe('');
}

async function benchRefuses(entry: BadScenarioCase): Promise<void> {
  const results = await mkdtemp(join(scratch, 'results-'));
  const run = await runCli(['bench', '--scenario', entry.file, '--results', results]);
  expectRefused(run, entry);
  expect(await readdir(results)).toEqual([]);
}

const title = built ? 'bad scenarios through the real CLI' : 'bad scenarios through the real CLI (SKIPPED: dist/cli/main.js is not built; run npm run build)';

describe.skipIf(!built)(title, () => {
  it('has at least 45 committed fixtures', () => {
    expect(committed.length).toBeGreaterThanOrEqual(45);
  });

  describe.concurrent('isobench validate FILE', () => {
    it.each(committed.map((entry) => [entry.file.split('/').pop(), entry] as const))('%s', async (_name, entry) => {
      expectRefused(await runCli(['validate', entry.file]), entry);
    });
  });

  // Every fixture through bench at once (one Node start instead of 76; the CLI loads all files and
  // reports every problem of every file), then one fixture of each kind on its own.
  it('isobench bench --scenario EVERY-FIXTURE --results DIR names each file and field', async () => {
    const results = await mkdtemp(join(scratch, 'results-'));
    const run = await runCli(['bench', ...committed.flatMap((entry) => ['--scenario', entry.file]), '--results', results]);
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.split('\n');
    for (const entry of committed) {
      const line = lines.find((text) => text.includes(entry.file) && text.includes(entry.message) && (entry.path === '' || text.includes(` ${entry.path}:`)));
      expect(line, `${entry.file}\n${run.stderr}`).toBeDefined();
    }
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(await readdir(results)).toEqual([]);
  });

  const oneOfEachKind = [
    'syntax-duplicate-key.yaml',
    'alias-bomb.yaml',
    'empty.yaml',
    'binary.yaml',
    'wrong-type-instances-string.yaml',
    'missing-app-memory.yaml',
    'unknown-field-instnaces.yaml',
    'unknown-runtime.yaml',
    'unknown-size-unit.yaml',
    'negative-instances.yaml',
    'zero-memory.yaml',
    'nan-instances.yaml',
    'infinite-host-memory.yaml',
    'absurd-instances.yaml',
    'duplicate-service-names.yaml',
    'layer-two-sizes.yaml',
    'modify-write-too-large.yaml',
    'unsafe-name-traversal.yaml',
    'unsafe-name-nul.yaml',
  ];
  describe.concurrent('isobench bench --scenario FILE --results DIR', () => {
    it.each(oneOfEachKind)('%s', async (name) => {
      const entry = committed.find((candidate) => candidate.file.endsWith(`/${name}`));
      if (entry === undefined) throw new Error(`no fixture ${name}`);
      await benchRefuses(entry);
    });
  });

  it('refuses a 20 MB file, a folder, a missing path and too many YAML nodes (made at test time)', async () => {
    for (const entry of generated) {
      expectRefused(await runCli(['validate', entry.file]), entry);
      await benchRefuses(entry);
    }
  });

  it('reports the problems of every file in one run, and still writes nothing', async () => {
    const entries = committed.filter((entry) => entry.path !== '').slice(0, 10);
    const results = await mkdtemp(join(scratch, 'results-'));
    const run = await runCli(['bench', ...entries.flatMap((entry) => ['--scenario', entry.file]), '--results', results]);
    expect(run.code).toBe(2);
    for (const entry of entries) expect(run.stderr).toContain(`${entry.file}:${entry.line ?? ''}`);
    expect(await readdir(results)).toEqual([]);
  });
});
