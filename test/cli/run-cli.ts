// Runs the built CLI (node bin/isobench.js) the way a user does; the build is done by global setup.

import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TINY = join(ROOT, 'test/cli/fixtures/tiny-web.yaml');

/** Exit code, stdout and stderr of one CLI run; never throws on a non-zero exit. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = await execa('node', [join(ROOT, 'bin/isobench.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    reject: false,
    env: { NO_COLOR: '1', COLUMNS: '100', ...options.env },
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

const made: string[] = [];

// Every folder tempDir() made in a test file is removed when that file's tests are done.
afterAll(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh empty folder for one test's results, removed after the test file. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-cli-'));
  made.push(dir);
  return dir;
}
