// Splits a start into the part that is served one at a time and the part that needs a CPU (a
// container engine's start: its daemons' serialised section; a process: its parent's spawn), from
// starts measured one at a time and a burst measured at once: one lone start cannot tell the two
// apart (they add up to the same time), a burst can (the serialised part queues, the CPU part
// shares the cores). Every candidate split is simulated with the model itself and the one whose
// burst (first, p50, all ready) is closest to the measured one wins. Pure.

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
  const path = `runtimes.${input.runtime}`;
  const candidates = Array.from({ length: Math.floor(input.loneStartMs) + 1 }, (_, serial) => serial);
  const best = fitBurst({
    scenario: burstScenario(input.runtime, input.burst.instances, input.cpus),
    platform: 'container',
    burst: input.burst,
    catalog: withOverrides(input.catalog, input.overrides, 'fit'),
    candidates,
    overridesFor: (serial) => ({ [`${path}.startSerialMs`]: ms(serial), [`${path}.startMs`]: ms(input.loneStartMs - serial) }),
  });
  return { startSerialMs: best.value, startMs: input.loneStartMs - best.value, modeled: best.modeled, logError: best.logError };
}

/**
 * The candidate value whose overrides make the model's burst (first, p50, all ready of `platform`)
 * closest to the measured one: least root mean square of ln(model / measured). Pure.
 */
export function fitBurst(input: {
  scenario: Scenario;
  platform: 'process' | 'container';
  burst: MeasuredBurst;
  catalog: ProfileCatalog;
  candidates: readonly number[];
  overridesFor: (value: number) => Record<string, Param>;
}): { value: number; modeled: StartSplit['modeled']; logError: number } {
  let best: { value: number; modeled: StartSplit['modeled']; logError: number } | undefined;
  for (const value of input.candidates) {
    const catalog = withOverrides(input.catalog, input.overridesFor(value), 'fit');
    const m = evaluateScenario(input.scenario, catalog).find((r) => r.platform === input.platform)?.metrics;
    if (m?.startupFirstMs == null || m.startupP50Ms == null || m.startupAllMs == null) continue;
    const modeled = { firstMs: m.startupFirstMs, p50Ms: m.startupP50Ms, allMs: m.startupAllMs };
    const ratios = [modeled.firstMs / input.burst.firstMs, modeled.p50Ms / input.burst.p50Ms, modeled.allMs / input.burst.allMs];
    const logError = Math.sqrt(ratios.reduce((sum, r) => sum + Math.log(r) ** 2, 0) / ratios.length);
    if (best === undefined || logError < best.logError) best = { value, modeled, logError };
  }
  if (best === undefined) throw new Error(`the model gave no ${input.platform} startup for the burst`);
  return best;
}

function ms(value: number): Param {
  return { value, unit: 'ms', source: 'fit' };
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
