// A revision of this repository, checked out into a temporary git worktree, installed and built so
// its own CLI can run. Whoever checks a revision out removes it (registered on the cleanup stack).

import { readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { CleanupStack } from '../backends/shared/cleanup.js';
import { EngineError, UsageError } from '../errors.js';

/** A revision ready to run: its ref as given, the commit it names, and how to start its CLI. */
export interface Revision {
  ref: string;
  commit: string;
  dir: string;
  cli: string[];
}

export interface CheckoutOptions {
  /** The repository the refs belong to (its work tree, with node_modules installed). */
  repo: string;
  signal: AbortSignal;
  cleanup: CleanupStack;
  progress: (line: string) => void;
}

/** Resolves `ref` to a commit; a ref git does not know is a usage error naming it. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  const result = await execa('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { reject: false });
  if (result.exitCode !== 0 || result.stdout.trim() === '') throw new UsageError(`"${ref}" is not a commit, branch or tag of ${repo}`);
  return result.stdout.trim();
}

/**
 * Checks `ref` out into `dir` (a detached worktree), installs its dependencies (a link to the
 * repository's node_modules when its lock file is the same, else `npm ci`), and builds it.
 */
export async function checkoutRevision(ref: string, dir: string, options: CheckoutOptions): Promise<Revision> {
  try {
    return await prepare(ref, dir, options);
  } catch (error) {
    if (error instanceof UsageError || options.signal.aborted) throw error;
    const said = error instanceof Error && 'stderr' in error ? String(error.stderr).trim().split('\n').slice(-5).join('\n') : '';
    throw new EngineError(`could not check out and build ${ref}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${said ? `\n${said}` : ''}`, { cause: error });
  }
}

async function prepare(ref: string, dir: string, options: CheckoutOptions): Promise<Revision> {
  const { repo, signal, cleanup, progress } = options;
  const commit = await resolveCommit(repo, ref);
  progress(`ab: checking out ${ref} (${commit.slice(0, 12)}) into ${dir}`);
  await execa('git', ['-C', repo, 'worktree', 'add', '--detach', dir, commit], { cancelSignal: signal });
  cleanup.defer(`remove worktree ${dir}`, async () => {
    await execa('git', ['-C', repo, 'worktree', 'remove', '--force', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
    await execa('git', ['-C', repo, 'worktree', 'prune'], { reject: false });
  });
  const sameLock = await sameFile(join(repo, 'package-lock.json'), join(dir, 'package-lock.json'));
  if (sameLock) {
    await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } else {
    progress(`ab: ${ref} has other dependencies: npm ci`);
    await execa('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, cancelSignal: signal });
  }
  progress(`ab: building ${ref}`);
  await execa('npm', ['run', '--silent', 'build'], { cwd: dir, cancelSignal: signal });
  return { ref, commit, dir, cli: [process.execPath, join(dir, 'bin', 'isobench.js')] };
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([readFile(a, 'utf8').catch(() => null), readFile(b, 'utf8').catch(() => null)]);
  return left !== null && left === right;
}
