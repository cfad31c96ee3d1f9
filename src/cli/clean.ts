// `isobench clean`: every backend removes everything it ever made (containers, images, temp
// folders), whichever run made it; what a run still in progress uses is spared unless --include-live.
// Images are otherwise kept as a cache between runs; this is how to get rid of them.

import { BACKEND_NAMES, loadBackend } from '../backends/list.js';
import type { CleanOptions } from '../backends/types.js';

export interface CleanResult {
  /** Removed counts by kind, summed over the backends (containers, images, temp paths). */
  removed: Record<string, number>;
  /** One line per thing worth telling the user (what was kept, an engine that did not answer). */
  notes: string[];
}

/** Asks every backend to clean; never throws for a missing engine. */
export async function cleanEverything(options: Partial<CleanOptions> = {}): Promise<CleanResult> {
  const removed: Record<string, number> = { containers: 0, images: 0, 'temp paths': 0 };
  const notes: string[] = [];
  for (const name of BACKEND_NAMES) {
    const report = await (await loadBackend(name)).clean({
      includeLive: options.includeLive ?? false,
      ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    for (const [kind, count] of Object.entries(report.removed)) removed[kind] = (removed[kind] ?? 0) + count;
    notes.push(...report.notes);
  }
  return { removed, notes };
}

/** The kinds every clean names, even at 0; others (services, swarms, daemons ...) only when some went. */
const ALWAYS_NAMED = ['containers', 'images', 'temp paths'];

/** One line for the terminal, e.g. "removed 3 containers, 2 images, 1 temp path", then the notes. */
export function describeClean(result: CleanResult): string {
  const plural = (n: number, word: string): string => `${n} ${n === 1 ? word.replace(/s$/, '') : word}`;
  const parts = Object.entries(result.removed)
    .filter(([kind, count]) => count > 0 || ALWAYS_NAMED.includes(kind))
    .map(([kind, count]) => plural(count, kind));
  return [`removed ${parts.join(', ')}`, ...result.notes].join('\n');
}
