// What differs between the environments of two runs, and whether it matters. A modeled figure is a
// pure function of scenario and profile: the machine that computed it does not change it, so machine
// differences only block a comparison when measured figures are compared on both sides. Engine and
// accelerator differences of a measured result always do.

import type { PlatformResult, Report } from '../report/types.js';
import { resultKey } from './result-key.js';
import type { EnvironmentDifference } from './types.js';

/**
 * Engine facts that identify what was measured (versions, drivers, cgroups, rootless, in a VM,
 * accelerator), not where it was reached or how it went: an endpoint path or a container count
 * may differ between two runs of the same engine.
 */
export const ENGINE_IDENTITY_KEY = /version|driver|accelerator|cgroup|store|snapshotter|runtime|desktop|kernel|kvm|rootless|operatingsystem|invm|^os$|^arch$|^vm$/i;

/** Memory totals of the same machine type differ slightly between kernels: tolerate 2%. */
const MEMORY_TOLERANCE = 0.02;

/** A result pair present in both reports, as the comparison matched them. */
export interface ResultPair {
  scenario: string;
  base: PlatformResult;
  new: PlatformResult;
}

/** Every environment difference between two runs, marked blocking when measured pairs depend on it. */
export function environmentDifferences(base: Report, next: Report, pairs: readonly ResultPair[]): EnvironmentDifference[] {
  const measured = pairs.filter((pair) => pair.base.provenance.kind === 'measured' && pair.new.provenance.kind === 'measured');
  const anyMeasured = measured.length > 0;
  const differences: EnvironmentDifference[] = [];
  const add = (field: string, a: unknown, b: unknown, blocking: boolean): void => {
    differences.push({ field, base: show(a), new: show(b), blocking });
  };

  const [envA, envB] = [base.environment, next.environment];
  for (const key of ['os', 'arch', 'kernel', 'cpus'] as const) {
    if (envA[key] !== envB[key]) add(`environment.${key}`, envA[key], envB[key], anyMeasured);
  }
  if (nodeMajor(envA.node) !== nodeMajor(envB.node)) add('environment.node', envA.node, envB.node, anyMeasured);
  if (Math.abs(envA.memoryBytes - envB.memoryBytes) > MEMORY_TOLERANCE * Math.max(envA.memoryBytes, envB.memoryBytes)) {
    add('environment.memoryBytes', envA.memoryBytes, envB.memoryBytes, anyMeasured);
  }

  const engines = new Set(measured.flatMap((pair) => [engineOf(pair.base), engineOf(pair.new)]));
  const allEngines = new Set([...Object.keys(envA.engines), ...Object.keys(envB.engines)]);
  for (const engine of [...allEngines].sort()) {
    const blocking = engines.has(engine);
    const factsA = envA.engines[engine];
    const factsB = envB.engines[engine];
    if (factsA === undefined || factsB === undefined) {
      if (blocking) add(`environment.engines.${engine}`, factsA === undefined ? 'absent' : 'present', factsB === undefined ? 'absent' : 'present', true);
      continue;
    }
    const keys = new Set([...Object.keys(factsA), ...Object.keys(factsB)].filter((key) => ENGINE_IDENTITY_KEY.test(key)));
    for (const key of [...keys].sort()) {
      if (factsA[key] !== factsB[key]) add(`environment.engines.${engine}.${key}`, factsA[key], factsB[key], blocking);
    }
  }

  for (const pair of measured) {
    const [a, b] = [pair.base.provenance, pair.new.provenance];
    if (a.kind !== 'measured' || b.kind !== 'measured') continue;
    const where = `scenarios[${pair.scenario}].results[${resultKey(pair.new)}].provenance`;
    for (const key of ['engine', 'engineVersion', 'accelerator', 'scale', 'instancesMeasured'] as const) {
      if (a[key] !== b[key]) add(`${where}.${key}`, a[key], b[key], true);
    }
  }
  return differences;
}

/** One sentence telling the reader what the differences mean for this comparison. */
export function environmentNote(differences: readonly EnvironmentDifference[], measuredPairs: number): string {
  if (differences.length === 0) return measuredPairs > 0 ? 'Same environment for every measured figure.' : 'Same environment.';
  if (differences.some((d) => d.blocking)) {
    return 'Measured figures from different environments are not comparable: the comparison is refused unless --allow-env-change.';
  }
  return measuredPairs === 0
    ? 'Only modeled figures are compared: a modeled figure does not depend on the machine that computed it, so these differences do not block the comparison.'
    : 'These differences do not touch the measured figures compared here.';
}

function engineOf(result: PlatformResult): string {
  return result.provenance.kind === 'measured' ? result.provenance.engine : 'model';
}

function nodeMajor(version: string): string {
  return /^v?(\d+)/.exec(version)?.[1] ?? version;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : value === null ? 'null' : String(value);
}
