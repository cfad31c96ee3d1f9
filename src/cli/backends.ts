// The real backends by name, loaded only when asked for so a model-only run never loads dockerode.

import type { RealBackend } from '../backends/types.js';
import type { RealBackendName } from './bench-options.js';

const LOADERS: Record<RealBackendName, () => Promise<RealBackend>> = {
  docker: async () => (await import('../backends/docker/index.js')).dockerBackend,
  host: async () => (await import('../backends/host/index.js')).hostBackend,
  qemu: async () => (await import('../backends/qemu/index.js')).qemuBackend,
};

/** Loads a backend's module on first use. */
export function loadBackend(name: RealBackendName): Promise<RealBackend> {
  return LOADERS[name]();
}
