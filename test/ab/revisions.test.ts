// `isobench ab` on two real revisions of this repository: a clone of the committed HEAD, with a
// second commit that makes the simulated app 300 ms slower to become ready. Measured with the host
// backend (needs /bin/busybox): skipped with the reason without it, failed under
// ISOBENCH_REQUIRE_ENGINES=1.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cli/run-cli.js';

const gap = existsSync('/bin/busybox') ? null : 'no /bin/busybox (install busybox-static: scripts/setup-engines.sh docker)';
const required = process.env['ISOBENCH_REQUIRE_ENGINES'] === '1';
const TINY = join(ROOT, 'test/ab/fixtures/tiny.yaml');

describe.runIf(gap === null || required)(`isobench ab on two revisions${gap === null ? '' : ` (SKIPPED: ${gap})`}`, () => {
  let repo = '';
  beforeAll(async () => {
    if (gap !== null) throw new Error(`ISOBENCH_REQUIRE_ENGINES=1 but ${gap}`);
    repo = await mkdtemp(join(tmpdir(), 'isobench-ab-test-'));
    await execa('git', ['clone', '--quiet', '--no-hardlinks', ROOT, repo]);
    await symlink(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    // The slower revision: the app sleeps 300 ms more before it says it is ready.
    const found = await execa('git', ['-C', repo, 'grep', '-l', 'export const READY_MARKER', '--', 'src']);
    const file = join(repo, found.stdout.trim().split('\n')[0]!);
    const source = await readFile(file, 'utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, matched as written
    const slower = source.replace('`echo ${READY_MARKER}`', "'$B sleep 0.3', `echo ${READY_MARKER}`");
    expect(slower).not.toBe(source);
    await writeFile(file, slower);
    await execa('git', ['-C', repo, '-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '--quiet', '-am', 'slower app']);
  }, 120_000);
  afterAll(async () => {
    if (repo !== '') await rm(repo, { recursive: true, force: true });
  });

  it('reports the slower head as a regression: exit 1', { timeout: 180_000 }, async () => {
    const results = join(repo, 'ab-slower');
    const run = await runCli(['ab', 'HEAD~1', 'HEAD', '--repo', repo, '--real', 'host', '--scenario', TINY, '--rounds', '5', '--real-scale', '1', '--results', results]);
    expect(run.stderr).toContain('environment is the same by construction');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // ~20 ms startup + 300 ms: far beyond the 10% minimum effect, and 5 vs 5 rounds with no overlap give p = 0.0079.
    expect(run.stdout).toMatch(/\| startupFirstMs \| process · host \| [^|]+ \| [^|]+ \| \+\d+\.\d% \| \*\*regression\*\* \|/);
    expect(existsSync(join(results, 'comparison.md'))).toBe(true);
  });

  it('reports two equal revisions as unchanged: exit 0, no worktree left', { timeout: 180_000 }, async () => {
    const run = await runCli(['ab', 'HEAD', 'HEAD', '--repo', repo, '--real', 'host', '--scenario', TINY, '--rounds', '5', '--real-scale', '1', '--results', join(repo, 'ab-equal')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('0 regressions');
    const worktrees = await execa('git', ['-C', repo, 'worktree', 'list']);
    expect(worktrees.stdout.trim().split('\n')).toHaveLength(1);
  });
});
