// What the suite ran on: recorded in every report, compared before two reports are.

import os from 'node:os';
import type { HostSpec } from '../scenario/types.js';
import type { Environment } from './types.js';

/** Node, OS, kernel, CPUs and memory of this machine; `engines` is filled from the backends' probes. */
export function currentEnvironment(engines: Environment['engines'] = {}): Environment {
  return {
    node: process.version,
    os: os.platform(),
    arch: os.arch(),
    kernel: os.release(),
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    engines,
  };
}

/**
 * The scenario's host with this machine's CPUs and memory: what a model held against a measurement
 * here must describe. Disk size and rates stay the scenario's (not measured by the suite).
 */
export function thisMachineHost(base: HostSpec, environment: Environment): HostSpec {
  return { ...base, preset: 'this machine', cpus: environment.cpus, memoryBytes: environment.memoryBytes };
}
