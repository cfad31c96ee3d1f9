// The real backends by their --real name: one line each, loaded only when asked for, so a model-only
// run never loads dockerode. A new backend is a new folder beside these and one line here.

import type { RealBackend } from './types.js';

export const BACKENDS = {
  docker: async () => (await import('./docker/index.js')).dockerBackend,
  swarm: async () => (await import('./swarm/index.js')).swarmBackend,
  podman: async () => (await import('./podman/index.js')).podmanBackend,
  containerd: async () => (await import('./containerd/index.js')).containerdBackend,
  host: async () => (await import('./host/index.js')).hostBackend,
  qemu: async () => (await import('./qemu/index.js')).qemuBackend,
  mock: async () => (await import('./mock/index.js')).mockBackend,
} as const satisfies Record<string, () => Promise<RealBackend>>;

export type BackendName = keyof typeof BACKENDS;

/** Every --real name, in the order help lists them. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

/** Loads a backend's module on first use. */
export function loadBackend(name: BackendName): Promise<RealBackend> {
  return BACKENDS[name]();
}
