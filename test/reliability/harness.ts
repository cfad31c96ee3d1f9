// Shared tools of the reliability tests (engines are asked for through test/engines.ts): the real
// CLI started as a user starts it with a private TMPDIR, and leftover checks by what a run leaves: containers by run label, processes by the TMPDIR they
// inherited, files in that TMPDIR.

import { execa, execaSync, type ResultPromise } from 'execa';
import { appendFile, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerEngine } from '../../src/backends/shared/docker-api/engine.js';
import { PID_LABEL, RUN_LABEL } from '../../src/backends/shared/docker-api/reap.js';
import type { Need } from '../engines.js';

/** The repository root; CLI runs start there. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI, as a user runs it (global setup builds dist/ first). */
export const BIN = join(ROOT, 'bin/isobench.js');
/** Scenario files made for these tests (slow-start, never-ready, quick). */
export const FIXTURES = join(ROOT, 'test/reliability/fixtures');
/** The real backends, by their --real name. */
export type EngineName = 'docker' | 'qemu' | 'host' | 'podman';

/** What each backend needs from this machine (asked through test/engines.ts). */
export const NEED_OF: Record<EngineName, Need> = { docker: 'docker', qemu: 'qemu', host: 'busybox', podman: 'podman' };

/** Where a run's containers are looked for: Docker's engine, or Podman's store. */
export type ContainerStore = 'docker' | 'podman';

/** A fresh folder under the OS temp dir (removed by the caller). */
export function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `isobench-reliability-${prefix}-`));
}

/** A CLI process in flight: its stderr so far, a wait for a progress line, its end. */
export interface LiveCli {
  child: ResultPromise<{ reject: false; cwd: string; env: Record<string, string> }>;
  stderr(): string;
  /** Resolves once stderr matches; rejects if the process ends first or `timeoutMs` passes. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code, output, and performance.now() at exit. */
  ended: Promise<{ code: number | undefined; stdout: string; stderr: string; atMs: number }>;
}

/** Starts `node bin/isobench.js ARGS` with TMPDIR set to `tmp` (so every temp file and child is traceable). */
export function startCli(args: string[], tmp: string, env: Record<string, string> = {}): LiveCli {
  const child = execa('node', [BIN, ...args], { reject: false, cwd: ROOT, env: { NO_COLOR: '1', TMPDIR: tmp, ...env } });
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const ended = child.then((result) => ({ code: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), atMs: performance.now() }));
  return {
    child,
    stderr: () => stderr,
    ended,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        const check = (): void => {
          if (pattern.test(stderr)) finish();
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        void ended.then(() => finish(pattern.test(stderr) ? undefined : new Error(`isobench ended before ${pattern}:\n${stderr}`)));
        check();
      }),
  };
}

/** Runs the CLI to its end (for runs that need no signal or timing). */
export async function runCli(args: string[], tmp: string, env: Record<string, string> = {}) {
  return startCli(args, tmp, env).ended;
}

/** What a run left behind, by the traces it leaves: must be all empty. */
export interface Leftovers {
  /** Containers labelled isobench.run=<runId> (empty when no Docker engine answers). */
  containers: string[];
  /** Live processes that inherited TMPDIR=<tmp> (the CLI's children: app scripts, QEMU). */
  processes: string[];
  /** Entries in the run's private TMPDIR. */
  tempFiles: string[];
}

/** Everything of one run still there now (runId undefined: containers are not checked). */
export async function leftovers(runId: string | undefined, tmp: string, store: ContainerStore = 'docker'): Promise<Leftovers> {
  const containers = runId === undefined ? [] : store === 'podman' ? podmanContainers(`${RUN_LABEL}=${runId}`) : await containersOf(runId);
  return { containers, processes: await processesWithEnv(`TMPDIR=${tmp}`), tempFiles: await readdir(tmp).catch(() => []) };
}

/** True when nothing of the run is left. */
export function isClean(left: Leftovers): boolean {
  return left.containers.length === 0 && left.processes.length === 0 && left.tempFiles.length === 0;
}

/** Polls until nothing is left or `timeoutMs` passed; returns the last look and when it was clean. */
export async function waitClean(runId: string | undefined, tmp: string, timeoutMs: number, store: ContainerStore = 'docker'): Promise<{ left: Leftovers; cleanAtMs: number | null }> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const left = await leftovers(runId, tmp, store);
    if (isClean(left)) return { left, cleanAtMs: performance.now() };
    if (performance.now() > until) return { left, cleanAtMs: null };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ids of the containers of one run, as the engine lists them now; [] without an engine. */
export async function containersOf(runId: string): Promise<string[]> {
  let engine: DockerEngine;
  try {
    engine = await DockerEngine.connect();
  } catch {
    return [];
  }
  return (await engine.listContainers(`${RUN_LABEL}=${runId}`)).map((c) => c.id.slice(0, 12));
}

/** Ids of the containers a CLI process made (label isobench.pid), to see a run's instances while it runs. */
export async function containersOfPid(pid: number): Promise<string[]> {
  let engine: DockerEngine;
  try {
    engine = await DockerEngine.connect();
  } catch {
    return [];
  }
  return (await engine.listContainers(`${PID_LABEL}=${pid}`)).map((c) => c.id.slice(0, 12));
}

/**
 * Ids of the containers in Podman's store carrying `label` ("isobench.run=ID", "isobench.pid=PID"),
 * through the podman CLI: it reads the store itself, so it answers with no API service running.
 */
export function podmanContainers(label: string): string[] {
  const listed = execaSync('podman', ['ps', '--all', '--filter', `label=${label}`, '--format', '{{.ID}}'], { reject: false });
  if (listed.exitCode !== 0) return [];
  return String(listed.stdout)
    .split('\n')
    .filter((id) => id !== '')
    .map((id) => id.slice(0, 12));
}

/** "pid: cmdline" of every live process (zombies excluded) whose environment holds `entry`. */
export async function processesWithEnv(entry: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue;
      const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      if (!environ.includes(entry)) continue;
      found.push(`${pid}: ${(await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').slice(0, 200)}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** One line of the figures `npm run bench:reliability` sums: appended to $ISOBENCH_RELIABILITY_LOG when set. */
export type Figure =
  | { kind: 'fault'; name: string; survived: boolean; leftovers: number; exitCode: number | undefined; exitMs?: number; cleanMs?: number }
  | { kind: 'bad-input'; name: string; rejected: boolean };

export async function recordFigure(figure: Figure): Promise<void> {
  const log = process.env['ISOBENCH_RELIABILITY_LOG'];
  console.info(`[figure] ${JSON.stringify(figure)}`);
  if (log) await appendFile(log, `${JSON.stringify(figure)}\n`);
}

/** Count of all leftovers, for the figures. */
export function leftoverCount(left: Leftovers): number {
  return left.containers.length + left.processes.length + left.tempFiles.length;
}
