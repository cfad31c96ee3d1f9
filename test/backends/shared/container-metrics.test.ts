// One container's memory, as every container backend (docker, podman, swarm, containerd) reads it.

import { describe, expect, it } from 'vitest';
import { containerMemory } from '../../../src/backends/shared/container-metrics.js';

const MiB = 1024 ** 2;

describe("a container's memory, as --real docker measures it", () => {
  it('PSS of its processes plus its shim, unique their USS; the CLI figure plus the shim where the processes are hidden', () => {
    const task = { cliBytes: 9 * MiB, shimPssBytes: 12 * MiB, shimUssBytes: 10 * MiB, processPssBytes: 5 * MiB, processUssBytes: 4 * MiB };
    // 5 + 12 = 17 MiB per instance; unique 4 + 10 = 14 MiB.
    expect(containerMemory(task)).toEqual({ perInstance: 17 * MiB, unique: 14 * MiB, from: 'processes' });
    // Processes not visible: 9 + 12 = 21 MiB from the cgroup, unique unknown.
    expect(containerMemory({ ...task, processPssBytes: null, processUssBytes: null })).toEqual({ perInstance: 21 * MiB, unique: null, from: 'cgroup' });
    expect(containerMemory({ ...task, shimPssBytes: null })).toEqual({ perInstance: null, unique: null, from: null });
  });
});
