// Named host presets a scenario can start from (`host: server`, or `host: { preset: laptop, cpus: 4 }`).

import type { HostSpec } from '../scenario/types.js';

const MB = 1000 ** 2;
const GiB = 1024 ** 3;

export type HostPreset = Omit<HostSpec, 'preset'> & { description: string; source: string };

/** The host a scenario gets when it names none. */
export const DEFAULT_HOST_PRESET = 'server';

export const HOST_PRESETS: Record<string, HostPreset> = {
  server: {
    description: '8-core server with 32 GiB, NVMe-class disk, 1 Gbit/s network',
    source: 'assumption: the example host of the scenario format (issue 2); 1 Gbit/s = 125 MB/s',
    cpus: 8,
    memoryBytes: 32 * GiB,
    diskBytes: 512 * GiB,
    diskReadBytesPerSec: 1000 * MB,
    diskWriteBytesPerSec: 800 * MB,
    networkBytesPerSec: 125 * MB,
    ksm: false,
    memoryOvercommit: false,
  },
  laptop: {
    description: 'developer laptop: 8 cores, 16 GiB, fast NVMe, 400 Mbit/s network',
    source: 'assumption: a typical 2024 developer laptop',
    cpus: 8,
    memoryBytes: 16 * GiB,
    diskBytes: 512 * GiB,
    diskReadBytesPerSec: 3000 * MB,
    diskWriteBytesPerSec: 2000 * MB,
    networkBytesPerSec: 50 * MB,
    ksm: false,
    memoryOvercommit: false,
  },
  'isobench-dev': {
    description: "this project's own machine kind: 2 cores, 24 GiB, no KVM",
    source: 'measured: nproc, free, df on the development machine (2026-11); disk rates assumed',
    cpus: 2,
    memoryBytes: 24 * GiB,
    diskBytes: 252 * GiB,
    diskReadBytesPerSec: 500 * MB,
    diskWriteBytesPerSec: 400 * MB,
    networkBytesPerSec: 100 * MB,
    ksm: false,
    memoryOvercommit: false,
  },
  'density-server': {
    description: '64-core, 512 GiB virtualisation host with KSM on and memory overcommit allowed',
    source: 'assumption: a consolidation host as used for density tests (Kata runs them with and without KSM)',
    cpus: 64,
    memoryBytes: 512 * GiB,
    diskBytes: 4096 * GiB,
    diskReadBytesPerSec: 3000 * MB,
    diskWriteBytesPerSec: 2000 * MB,
    networkBytesPerSec: 1250 * MB,
    ksm: true,
    memoryOvercommit: true,
  },
};
