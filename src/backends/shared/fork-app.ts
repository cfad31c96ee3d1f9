// fork-app (native/fork-app.c, built static by `scripts/setup-engines.sh fork-app`): the pre-forked
// app of scenarios with app.fork. It loads the parent's memory, forks the workers, each writes its
// share of the parent's pages, and prints "ok" once they all have ("no <reason>" on failure).

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../../errors.js';
import type { AppSpec } from '../../scenario/types.js';
import { cacheRoot } from './cache.js';

/** Where setup-engines builds it. */
export function forkAppPath(): string {
  return path.join(cacheRoot(), 'fork-app', 'fork-app');
}

/** Reads the built program and its digest (part of the image key); EngineError saying how to build it. */
export async function readForkApp(file = forkAppPath()): Promise<{ bytes: Buffer; digest: string; path: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new EngineError(`A scenario forks workers (app.fork) but ${file} is not built: run \`sudo scripts/setup-engines.sh fork-app\` (Debian's gcc).`, { cause: error });
  }
  return { bytes, digest: createHash('sha256').update(bytes).digest('hex'), path: file };
}

/** Whether any app of these forks workers. */
export function needsForkApp(apps: readonly Pick<AppSpec, 'fork'>[]): boolean {
  return apps.some((app) => app.fork !== undefined);
}

/** fork-app's arguments for an app: parent bytes, workers, writes per million pages (rounded up, as the model counts whole pages). */
export function forkAppArgs(app: Pick<AppSpec, 'memoryBytes' | 'fork'>): [number, number, number] {
  const fork = app.fork!;
  return [app.memoryBytes, fork.workers, Math.round(fork.writesRatio * 1_000_000)];
}
