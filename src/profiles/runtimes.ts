// Container runtime presets: `container.runtime` in a scenario names one of these.
//
// Docker's figures are steady-state starts measured on this project's machine kind (2 cores,
// Docker 20.10, overlay2, dockerode API v1.41, a 1-layer busybox image, 2026-12-01): create ~11 ms,
// start ~92 ms alone. Bursts of 1, 4 and 16 at once (first / p50 / all ready: 108/102/108,
// 198/220/229, 435/785/997 ms) fit a start path of ~71 ms of CPU (dockerd, containerd, shim, runc)
// plus a ~28 ms section the daemon serialises (one start at a time) and a ~4 ms serialised create.
// The first start after the daemon comes up is far slower (~470 ms, figures.md): a one-time cost.

import { param } from './param.js';
import { SRC, assumption } from './sources.js';
import type { ContainerRuntimeProfile } from './types.js';

const MiB = 1024 ** 2;

// runc vs crun: 100 sequential /bin/true containers take 3.34 s vs 1.69 s.
const RUNC_MS = 33.4;
const CRUN_MS = 16.9;
const STEADY = 'measured here 2026-12-01 (dockerode, 1-layer busybox image, 5 starts alone)';
const BURSTS = 'fit of bursts of 1, 4 and 16 containers measured here 2026-12-01 (first/p50/all ready)';
const DOCKER_CREATE_MS = 11;
const DOCKER_CREATE_SERIAL_MS = 4;
const DOCKER_START_MS = 92;
const DOCKER_START_SERIAL_MS = 28;
const DOCKER_FIRST_START_MS = 470;

const overlay = {
  layerSetupMsPerLayer: param(0.6, 'ms', `${SRC.thisMachine}: calibrate here 2026-12-01, (8-layer - 1-layer create + start) / 7`),
  perContainerKernelBytes: param(1 * MiB, 'bytes', assumption('cgroup, namespaces, overlay mount, veth-less')),
};

const docker = {
  daemon: 'dockerd+containerd',
  daemonMemoryBytes: param(80 * MiB, 'bytes', assumption('dockerd ~50 MiB + containerd ~30 MiB resident; calibrate measures it')),
  createMs: param(DOCKER_CREATE_MS, 'ms', `create request, ${STEADY}`),
  createSerialMs: param(DOCKER_CREATE_SERIAL_MS, 'ms', `the part of create dockerd serialises (name reservation, layer store): ${BURSTS}`),
  startSerialMs: param(
    DOCKER_START_SERIAL_MS,
    'ms',
    `the part of start the daemons serialise (containerd metadata commits, task events), waited for in a queue: ${BURSTS}`,
  ),
  firstStartExtraMs: param(
    DOCKER_FIRST_START_MS - DOCKER_START_MS,
    'ms',
    `${SRC.thisMachine}: first start after the daemon comes up ~${DOCKER_FIRST_START_MS} ms, less a steady-state start ~${DOCKER_START_MS} ms (${STEADY})`,
  ),
  shimMemoryBytes: param(6 * MiB, 'bytes', assumption('containerd-shim-runc-v2 resident; calibrate measures it')),
};

/** start request alone, less its serialised part and the OCI runtime: the CPU the daemons, shim and kernel spend. */
const dockerStartCpu = (runtimeMs: number, runtime: string): ContainerRuntimeProfile['startMs'] =>
  param(
    DOCKER_START_MS - DOCKER_START_SERIAL_MS - RUNC_MS,
    'ms',
    `start request ~${DOCKER_START_MS} ms alone (${STEADY}), less the serialised ${DOCKER_START_SERIAL_MS} ms and runc's ${RUNC_MS} ms (${SRC.crun})${runtime === 'runc' ? '' : `; ${runtime} then takes ${runtimeMs} ms instead of runc's`}`,
  );

export const RUNTIMES: Record<string, ContainerRuntimeProfile> = {
  'docker-runc': {
    description: 'Docker Engine with containerd and runc',
    ...docker,
    ...overlay,
    startMs: dockerStartCpu(RUNC_MS, 'runc'),
    runtimeMs: param(RUNC_MS, 'ms', SRC.crun),
  },
  crun: {
    description: 'Docker Engine with containerd and crun',
    ...docker,
    ...overlay,
    startMs: dockerStartCpu(CRUN_MS, 'crun'),
    runtimeMs: param(CRUN_MS, 'ms', SRC.crun),
  },
  'containerd-runc': {
    description: 'containerd (nerdctl/ctr, no dockerd) with runc',
    daemon: 'containerd',
    daemonMemoryBytes: param(30 * MiB, 'bytes', assumption('containerd alone, resident')),
    createMs: param(6, 'ms', assumption(`no dockerd hop: about half of Docker's ${DOCKER_CREATE_MS} ms create (${SRC.gvisor}: most of docker run is Docker itself)`)),
    createSerialMs: param(2, 'ms', assumption('containerd metadata transaction (bbolt: one writer at a time)')),
    startSerialMs: param(DOCKER_START_SERIAL_MS, 'ms', assumption(`containerd serialises the same task commits and events as under Docker (${BURSTS})`)),
    firstStartExtraMs: param(100, 'ms', assumption('first task after containerd comes up: shim binary and runtime paged in')),
    shimMemoryBytes: docker.shimMemoryBytes,
    ...overlay,
    startMs: param(15, 'ms', assumption(`shim and task start without dockerd: Docker's ${DOCKER_START_MS - DOCKER_START_SERIAL_MS - RUNC_MS} ms CPU less dockerd's share (${SRC.gvisor})`)),
    runtimeMs: param(RUNC_MS, 'ms', SRC.crun),
  },
};
