// Splits a container engine's start into the part its daemons serialise and the part that needs a
// CPU, from starts measured one at a time and a burst measured at once: one lone start cannot tell
// the two apart (they add up to the same time), a burst can (the serialised part queues, the CPU
// part shares the cores). Every candidate split is simulated with the model itself and the one
// whose burst (first, p50, all ready) is closest to the measured one wins. Pure.

import { withOverrides } from '../profiles/catalog.js';
import type { Param } from '../profiles/param.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { Scenario } from '../scenario/types.js';
import { evaluateScenario } from './evaluate.js';

/** A burst of `instances` tiny containers requested at once: the mean of each batch's figures. */
export interface MeasuredBurst {
  instances: number;
  firstMs: number;
  p50Ms: number;
  allMs: number;
}

export interface StartSplit {
  startSerialMs: number;
  startMs: number;
  /** The burst the model gives with this split. */
  modeled: { firstMs: number; p50Ms: number; allMs: number };
  /** Root mean square of ln(model / measured) over first, p50 and all ready. */
  logError: number;
}

/**
 * The split of `loneStartMs` (startMs + startSerialMs of the runtime: the lone start less the OCI
 * runtime's own time) into serialised and CPU parts, in 1 ms steps, that best reproduces `burst` on
 * a host with `cpus` CPUs; `overrides` are the other calibrated parameters, applied first.
 */
export function fitStartSerial(input: { runtime: string; loneStartMs: number; burst: MeasuredBurst; cpus: number; catalog: ProfileCatalog; overrides: Record<string, Param> }): StartSplit {
  const base = withOverrides(input.catalog, input.overrides, 'fit');
  const scenario = burstScenario(input.runtime, input.burst.instances, input.cpus);
  const path = `runtimes.${input.runtime}`;
  let best: StartSplit | undefined;
  for (let serial = 0; serial <= Math.floor(input.loneStartMs); serial += 1) {
    const param = (value: number): Param => ({ value, unit: 'ms', source: 'fit' });
    const catalog = withOverrides(base, { [`${path}.startSerialMs`]: param(serial), [`${path}.startMs`]: param(input.loneStartMs - serial) }, 'fit');
    const container = evaluateScenario(scenario, catalog).find((r) => r.platform === 'container');
    const m = container?.metrics;
    if (m?.startupFirstMs == null || m.startupP50Ms == null || m.startupAllMs == null) continue;
    const modeled = { firstMs: m.startupFirstMs, p50Ms: m.startupP50Ms, allMs: m.startupAllMs };
    const ratios = [modeled.firstMs / input.burst.firstMs, modeled.p50Ms / input.burst.p50Ms, modeled.allMs / input.burst.allMs];
    const logError = Math.sqrt(ratios.reduce((sum, r) => sum + Math.log(r) ** 2, 0) / ratios.length);
    if (best === undefined || logError < best.logError) best = { startSerialMs: serial, startMs: input.loneStartMs - serial, modeled, logError };
  }
  if (best === undefined) throw new Error(`the model gave no container startup for ${input.runtime}`);
  return best;
}

/** `instances` tiny containers (no app memory, no startup, one 4 MiB layer) at once on this machine. */
export function burstScenario(runtime: string, instances: number, cpus: number): Scenario {
  const GiB = 1024 ** 3;
  return {
    name: `calibration-burst-${instances}`,
    description: 'tiny containers requested at once (calibration)',
    file: '<calibration>',
    host: {
      preset: null,
      cpus,
      memoryBytes: 24 * GiB,
      diskBytes: 100 * GiB,
      diskReadBytesPerSec: 500e6,
      diskWriteBytesPerSec: 400e6,
      networkBytesPerSec: 100e6,
      ksm: false,
      memoryOvercommit: false,
    },
    cache: 'warm',
    concurrency: instances,
    services: [
      {
        name: 'tiny',
        instances,
        app: { memoryBytes: 0, startupMs: 0, files: [] },
        image: { layers: [{ id: 'calibrate-base', sizeBytes: 4 * 1024 ** 2 }] },
        container: { runtime },
        vm: { hypervisor: 'qemu-kvm', memoryBytes: 0, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'none', sizeBytes: 0 } },
      },
    ],
    totalInstances: instances,
  };
}
