// The suite's cache folder, where setup-engines puts what real runs need (guest kernel, fork-app).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** $ISOBENCH_CACHE, else .cache at the repository root. */
export function cacheRoot(): string {
  if (process.env['ISOBENCH_CACHE']) return process.env['ISOBENCH_CACHE'];
  // src/backends/shared/cache.ts and dist/backends/shared/cache.js both sit three folders deep.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.cache');
}
