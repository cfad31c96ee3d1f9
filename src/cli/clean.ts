// `isobench clean`: removes every container, image and temp file isobench ever made, whichever run
// made it. Images are otherwise kept as a cache between runs; this is how to get rid of them.

import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../backends/docker/engine.js';
import { removeEverything } from '../backends/docker/reap.js';
import { EngineError } from '../errors.js';

/** Temp entries isobench makes: host-backend dirs, QEMU work dirs, calibration scratch. */
export const TEMP_PREFIXES = ['isobench-host-', 'isobench-qemu-', 'isobench-calibrate-'];

export interface CleanResult {
  /** Whether a Docker engine answered (when none does, there is nothing of ours on it to remove). */
  engine: 'cleaned' | 'absent';
  containers: number;
  images: number;
  /** Containers of a run still in progress on this host, left to it (unless includeLive). */
  kept: number;
  tempPaths: string[];
  /** One line per thing worth telling the user (e.g. why the engine was skipped). */
  notes: string[];
}

/** Removes everything isobench made; `tempDir` defaults to the OS temp dir. Never throws for a missing engine. */
export async function cleanEverything(options: { tempDir?: string; env?: NodeJS.ProcessEnv; includeLive?: boolean } = {}): Promise<CleanResult> {
  const notes: string[] = [];
  let engine: 'cleaned' | 'absent' = 'absent';
  let containers = 0;
  let images = 0;
  let kept = 0;
  try {
    const docker = await DockerEngine.connect(options.env ?? process.env);
    ({ containers, images, kept } = await removeEverything(docker, options.includeLive ?? false));
    if (kept > 0) notes.push(`kept ${kept} container(s) of a run still in progress, and the images they use`);
    engine = 'cleaned';
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    notes.push(`Docker skipped: ${error.message}`);
  }
  const dir = options.tempDir ?? tmpdir();
  const tempPaths = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => TEMP_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .filter((name) => options.includeLive || !liveHostRun(name))
    .map((name) => join(dir, name));
  for (const path of tempPaths) await rm(path, { recursive: true, force: true });
  return { engine, containers, images, kept, tempPaths, notes };
}

/** One line for the terminal, e.g. "removed 3 containers, 2 images, 1 temp path". */
export function describeClean(result: CleanResult): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(result.containers, 'container'), plural(result.images, 'image'), plural(result.tempPaths.length, 'temp path')];
  return [`removed ${parts.join(', ')}`, ...result.notes].join('\n');
}

/** A host-backend temp dir (isobench-host-<pid>-...) of a process still running. */
function liveHostRun(name: string): boolean {
  const match = /^isobench-host-(\d+)-/.exec(name);
  if (match === null) return false;
  try {
    process.kill(Number(match[1]), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
