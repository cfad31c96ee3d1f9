// Container runtime presets: `container.runtime` in a scenario names one of these.

import { param } from './param.js';
import { SRC, assumption } from './sources.js';
import type { ContainerRuntimeProfile } from './types.js';

const MiB = 1024 ** 2;

// runc vs crun: 100 sequential /bin/true containers take 3.34 s vs 1.69 s.
const RUNC_MS = 33.4;
const CRUN_MS = 16.9;
// dockerode start of the first container on this machine kind: ~470 ms, runtime included.
const DOCKER_START_MS = 470;

const overlay = {
  layerSetupMsPerLayer: param(2, 'ms', assumption('one overlay lowerdir and its lookups per layer')),
  perContainerKernelBytes: param(1 * MiB, 'bytes', assumption('cgroup, namespaces, overlay mount, veth-less')),
};

const docker = {
  daemon: 'dockerd+containerd',
  daemonMemoryBytes: param(80 * MiB, 'bytes', assumption('dockerd ~50 MiB + containerd ~30 MiB resident; calibrate measures it')),
  createMs: param(145, 'ms', `${SRC.thisMachine}: createContainer ~145 ms`),
  createSerialMs: param(20, 'ms', assumption('dockerd serialises name reservation and layer store updates')),
  shimMemoryBytes: param(6 * MiB, 'bytes', assumption('containerd-shim-runc-v2 resident; calibrate measures it')),
};

export const RUNTIMES: Record<string, ContainerRuntimeProfile> = {
  'docker-runc': {
    description: 'Docker Engine with containerd and runc',
    ...docker,
    ...overlay,
    startMs: param(DOCKER_START_MS - RUNC_MS, 'ms', `${SRC.thisMachine}: start ~470 ms, less runc's own ${RUNC_MS} ms (${SRC.crun})`),
    runtimeMs: param(RUNC_MS, 'ms', SRC.crun),
  },
  crun: {
    description: 'Docker Engine with containerd and crun',
    ...docker,
    ...overlay,
    startMs: param(DOCKER_START_MS - RUNC_MS, 'ms', `${SRC.thisMachine}: Docker's start path as for runc`),
    runtimeMs: param(CRUN_MS, 'ms', SRC.crun),
  },
  'containerd-runc': {
    description: 'containerd (nerdctl/ctr, no dockerd) with runc',
    daemon: 'containerd',
    daemonMemoryBytes: param(30 * MiB, 'bytes', assumption('containerd alone, resident')),
    createMs: param(60, 'ms', assumption(`no dockerd hop; ${SRC.gvisor}: most of docker run is Docker itself`)),
    createSerialMs: param(10, 'ms', assumption('containerd metadata transaction')),
    shimMemoryBytes: docker.shimMemoryBytes,
    ...overlay,
    startMs: param(150, 'ms', assumption(`shim and task start without dockerd (${SRC.gvisor})`)),
    runtimeMs: param(RUNC_MS, 'ms', SRC.crun),
  },
};
