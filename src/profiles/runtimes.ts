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
// gVisor: runsc create + start of a sandbox (Sentry and Gofer, each its own process) took 81-280 ms
// across eight hosts (apoxy.dev, "gVisor cold start: where the time goes"); under Docker here the CLI
// wall of `docker run --rm --network none --runtime runsc busybox /bin/true` was ~480-1040 ms against
// runc's ~380 ms (2026-12-01, machine shared with other work).
const RUNSC_MS = 180;
const RUNSC_START_SOURCE = `runsc create + start of one sandbox, 81-280 ms over eight hosts (${SRC.gvisorColdStart}); taken near its middle, checked against --real docker here`;
// A runsc container running busybox sleep: its cgroup held 12.3 MiB against runc's 0.55 MiB (docker
// stats, 2026-12-01); the Sentry's PSS was ~16.5 MiB and the Gofer's ~12.3 MiB (much of both the
// shared runsc binary). The cgroup figure is what the suite measures per container.
const RUNSC_SANDBOX_BYTES = 12 * MiB;
const RUNSC_MEMORY_SOURCE = `${SRC.gvisorArch}: a Sentry and a Gofer per sandbox; measured here 2026-12-01: a runsc container's cgroup held 12.3 MiB running busybox sleep against runc's 0.55 MiB`;
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
  startSerialMs: param(DOCKER_START_SERIAL_MS, 'ms', `the part of start the daemons serialise (containerd metadata commits, task events), waited for in a queue: ${BURSTS}`),
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

/** Earlier names still accepted in scenarios, and the profile each stands for. */
export const RUNTIME_ALIASES: Record<string, string> = {
  crun: 'docker-crun',
  runc: 'docker-runc',
  runsc: 'docker-runsc',
  gvisor: 'docker-runsc',
};

/** The engine a runtime profile runs under: its name's first part ("docker-runsc" -> "docker"). */
export function runtimeEngine(profile: string): string {
  return profile.split('-')[0] ?? profile;
}

/** The OCI runtime of a profile: its name's last part ("docker-runsc" -> "runsc"). */
export function ociRuntime(profile: string): string {
  return profile.split('-').at(-1) ?? profile;
}

export const RUNTIMES: Record<string, ContainerRuntimeProfile> = {
  'docker-runc': {
    description: 'Docker Engine with containerd and runc',
    ...docker,
    ...overlay,
    startMs: dockerStartCpu(RUNC_MS, 'runc'),
    runtimeMs: param(RUNC_MS, 'ms', SRC.crun),
  },
  'docker-crun': {
    description: 'Docker Engine with containerd and crun',
    ...docker,
    ...overlay,
    startMs: dockerStartCpu(CRUN_MS, 'crun'),
    runtimeMs: param(CRUN_MS, 'ms', SRC.crun),
  },
  'docker-runsc': {
    description: 'Docker Engine with containerd and gVisor (runsc): a user-space kernel (Sentry) and a file proxy (Gofer) per container',
    ...docker,
    ...overlay,
    startMs: dockerStartCpu(RUNSC_MS, 'runsc'),
    runtimeMs: param(RUNSC_MS, 'ms', RUNSC_START_SOURCE),
    sandboxMemoryBytes: param(RUNSC_SANDBOX_BYTES, 'bytes', RUNSC_MEMORY_SOURCE),
  },
  'podman-crun': {
    description: 'Podman (daemonless: conmon and crun per container; measured through its Docker-compatible API service)',
    daemon: 'podman',
    daemonMemoryBytes: param(40 * MiB, 'bytes', assumption('`podman system service` resident while it serves the API (no daemon when Podman runs from its CLI)')),
    createMs: param(40, 'ms', assumption('libpod create: its own database (BoltDB) and storage (containers/storage) instead of dockerd + containerd')),
    createSerialMs: param(DOCKER_CREATE_SERIAL_MS, 'ms', assumption(`libpod locks its database per create, as dockerd serialises its part (${BURSTS})`)),
    startSerialMs: param(DOCKER_START_SERIAL_MS, 'ms', assumption(`the serialised part of start taken as Docker's (${BURSTS})`)),
    firstStartExtraMs: param(100, 'ms', assumption('first start after the service comes up: conmon and crun paged in')),
    shimMemoryBytes: param(2 * MiB, 'bytes', assumption('conmon (a small C monitor) per container instead of containerd-shim')),
    ...overlay,
    startMs: param(40, 'ms', assumption('libpod start: conmon spawn, cgroup setup, network none')),
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
