// Temp folders of real runs: named isobench-<backend>-<pid>-<run>-..., so `isobench clean` finds
// every one a backend made and spares those of a process still running.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of a backend's temp folders. */
export function tempPrefix(backend: string): string {
  return `isobench-${backend}-`;
}

/** Makes this process's temp folder for a run: isobench-<backend>-<pid>-<runId>-XXXXXX. */
export function makeRunTempDir(backend: string, runId: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${tempPrefix(backend)}${process.pid}-${runId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)}-`));
}

/** True while the process `pid` runs (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner pid of a temp entry named by makeRunTempDir, or null (older names carry none). */
export function ownerPid(name: string, backend: string): number | null {
  const match = new RegExp(`^${tempPrefix(backend)}(\\d+)-`).exec(name);
  return match === null ? null : Number(match[1]);
}

/**
 * Removes a backend's temp entries in `dir`; those whose owner still runs stay unless `includeLive`.
 * Returns the removed paths and how many were kept.
 */
export async function removeTempDirs(backend: string, options: { includeLive: boolean; tempDir?: string }): Promise<{ removed: string[]; kept: number }> {
  const dir = options.tempDir ?? tmpdir();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(tempPrefix(backend)));
  const removed: string[] = [];
  let kept = 0;
  for (const name of names) {
    const owner = ownerPid(name, backend);
    if (!options.includeLive && owner !== null && pidAlive(owner)) {
      kept += 1;
      continue;
    }
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return { removed, kept };
}
