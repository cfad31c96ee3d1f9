// What the suite ran on: recorded in every report, compared before two reports are.

import { readFileSync } from 'node:fs';
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
    ksm: ksmRunning(),
    engines,
  };
}

/** Whether the kernel merges identical pages now; false where KSM is absent or unreadable. */
function ksmRunning(): boolean {
  try {
    return readFileSync('/sys/kernel/mm/ksm/run', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/**
 * The scenario's host with this machine's CPUs, memory and KSM state: what a model held against a
 * measurement here must describe. Disk size and rates stay the scenario's (not measured by the suite).
 */
export function thisMachineHost(base: HostSpec, environment: Environment): HostSpec {
  return { ...base, preset: 'this machine', cpus: environment.cpus, memoryBytes: environment.memoryBytes, ksm: environment.ksm ?? false };
}
