// The real backends by name, loaded only when asked for so a model-only run never loads dockerode.

import { EngineError } from '../errors.js';
import type { RealBackend } from '../backends/types.js';
import type { RealBackendName } from './bench-options.js';

const EXPORTS: Record<RealBackendName, string> = { docker: 'dockerBackend', host: 'hostBackend', qemu: 'qemuBackend' };

/** Loads a backend module (src/backends/NAME/index.ts); EngineError when this build has none. */
export async function loadBackend(name: RealBackendName): Promise<RealBackend> {
  const specifier = `../backends/${name}/index.js`;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    // Only the backend's own entry missing means "not in this build"; a missing dependency is a bug.
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`backends/${name}/index.js'`);
    if (!missing) throw error;
    throw new EngineError(`the ${name} backend is not part of this build of isobench`, { cause: error });
  }
  const backend = module[EXPORTS[name]];
  if (!isBackend(backend)) throw new Error(`src/backends/${name}/index.ts does not export ${EXPORTS[name]}: RealBackend`);
  return backend;
}

function isBackend(value: unknown): value is RealBackend {
  const b = value as Partial<RealBackend> | null;
  return b !== null && typeof b === 'object' && typeof b.probe === 'function' && typeof b.run === 'function';
}
