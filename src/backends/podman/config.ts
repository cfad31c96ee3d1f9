// How isobench runs containers on Podman: the limits it passes (this sandbox's hard limits are
// below Podman's defaults) and which processes are Podman's own.

import { DEFAULT_DOCKER_RUN_CONFIG, type DockerRunConfig } from '../shared/docker-api/run.js';
import type { ProcessStat } from '../shared/proc.js';
import { podmanServicePids, type PodmanService } from './service.js';

/**
 * Container limits passed explicitly: Podman asks crun for nofile and nproc limits above this
 * host's hard limits (nofile 20000; the service lowers its own nproc to 32768), and this sandbox
 * lacks CAP_SYS_RESOURCE to raise them, so every start failed with "crun: setrlimit RLIMIT_NOFILE
 * (then RLIMIT_NPROC): Operation not permitted" (measured here 2026-12-02, Podman 4.3.1, crun 1.8.1).
 * 1024 open files is the usual soft default; nproc is not enforced for root in the init user
 * namespace, so 1000 constrains no app here.
 */
const PODMAN_ULIMITS = [
  { Name: 'nofile', Soft: 1024, Hard: 1024 },
  { Name: 'nproc', Soft: 1000, Hard: 1000 },
];

/** How a podman run (and its calibration) makes containers through the Docker API machinery. */
export const PODMAN_RUN_CONFIG: DockerRunConfig = { ...DEFAULT_DOCKER_RUN_CONFIG, engine: 'podman', ulimits: PODMAN_ULIMITS };

/** The engine's own processes: the API service (Podman has no daemon besides it). */
export function serviceProcesses(service: PodmanService): (processes: readonly ProcessStat[]) => Promise<ProcessStat[]> {
  return async (processes) => {
    const pids = service.pid !== null ? [service.pid] : await podmanServicePids();
    return processes.filter((p) => pids.includes(p.pid));
  };
}
