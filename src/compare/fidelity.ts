// How far the model as run is from a measurement, against the fidelity goals (startup 25%, memory
// 20%, disk 5%; disk 10% for QEMU), and why a miss happened where the data says so. Used by
// `bench --real` (a note on each measured result) and by `npm run bench:fidelity`. Pure.

import { modelError } from '../report/view.js';
import { METRIC_KEYS, type MetricKey, type PlatformResult } from '../report/types.js';
import { formatBytes } from '../units/format.js';

export type Family = 'startup' | 'memory' | 'disk';

/** |model - measured| / measured allowed per metric family. */
export const GOALS: Readonly<Record<Family, number>> = { startup: 0.25, memory: 0.2, disk: 0.05 };
/** QEMU's disk is whole 64 KiB qcow2 clusters: a looser disk goal. */
export const QEMU_GOALS: Readonly<Record<Family, number>> = { startup: 0.25, memory: 0.2, disk: 0.1 };

export function family(key: MetricKey): Family | null {
  return key.startsWith('startup') ? 'startup' : key.startsWith('memory') ? 'memory' : key.startsWith('disk') ? 'disk' : null;
}

export interface FidelityRow {
  key: MetricKey;
  model: number;
  measured: number | null;
  /** (model - measured) / measured; Infinity for a measured 0 against a non-zero model; null unmeasured. */
  error: number | null;
  goal: number | null;
  verdict: 'ok' | 'MISS' | 'not measured' | '-';
}

/** Every metric the model has, judged against the goal of its family. */
export function fidelityRows(model: PlatformResult, measured: PlatformResult): FidelityRow[] {
  const goals = measured.backend === 'qemu' ? QEMU_GOALS : GOALS;
  return METRIC_KEYS.flatMap((key): FidelityRow[] => {
    const m = model.metrics[key];
    if (m === null) return [];
    const r = measured.metrics[key];
    const fam = family(key);
    const goal = fam === null ? null : goals[fam];
    // A measured 0 against a non-zero model is a miss (an infinite relative error), never skipped.
    const error = r === null ? null : r === 0 && m !== 0 ? Number.POSITIVE_INFINITY : modelError(m, r);
    const verdict = goal === null ? '-' : r === null ? 'not measured' : Math.abs(error ?? Number.POSITIVE_INFINITY) <= goal ? 'ok' : 'MISS';
    return [{ key, model: m, measured: r, error, goal, verdict }];
  });
}

/** What the run knew about its conditions, beyond the two results. */
export interface RunConditions {
  cpus: number;
  /** CPUs' worth of work the machine was doing just before the run began (null: not sampled). */
  busyCpusBefore: number | null;
}

const LABELS: Partial<Record<MetricKey, string>> = {
  startupFirstMs: 'first ready',
  startupAllMs: 'all ready',
  startupP50Ms: 'p50',
  startupP99Ms: 'p99',
  memorySharedBytes: 'memory shared',
  memoryPerInstanceBytes: 'memory per instance',
  memoryUniqueBytes: 'memory unique',
  memoryTotalBytes: 'memory total',
  diskSharedBytes: 'disk shared',
  diskPerInstanceBytes: 'disk per instance',
  diskTotalBytes: 'disk total',
};

/**
 * One note naming every miss of the model as run against `measured`, each family with the causes
 * the data shows (a busy machine, the daemons' own memory, batches that spread wider than the goal); undefined when every measured figure is within its goal.
 */
export function missNote(model: PlatformResult, measured: PlatformResult, conditions: RunConditions): string | undefined {
  const misses = fidelityRows(model, measured).filter((row) => row.verdict === 'MISS');
  if (misses.length === 0) return undefined;
  const percent = (e: number | null): string => (e === null ? '?' : Number.isFinite(e) ? `${e > 0 ? '+' : ''}${Math.round(e * 100)}%` : 'measured 0');
  const parts: string[] = [];
  for (const fam of ['startup', 'memory', 'disk'] as const) {
    const mine = misses.filter((row) => family(row.key) === fam);
    if (mine.length === 0) continue;
    const figures = mine.map((row) => `${fam === 'startup' ? `${fam} ` : ''}${LABELS[row.key] ?? row.key} ${percent(row.error)}`).join(', ');
    const why = causes(fam, mine, model, measured, conditions);
    parts.push(`${figures} (goal ±${Math.round((mine[0]!.goal ?? 0) * 100)}%)${why.length > 0 ? `: ${why.join('; ')}` : ''}`);
  }
  return `model as run misses the fidelity goals: ${parts.join('. ')}. \`npm run bench:fidelity\` names the model part that disagrees`;
}

function causes(fam: Family, misses: FidelityRow[], model: PlatformResult, measured: PlatformResult, conditions: RunConditions): string[] {
  const found: string[] = [];
  const spread = misses.flatMap((row) => {
    const rme = measured.stats?.[row.key]?.rme;
    return rme !== undefined && Number.isFinite(rme) && rme > (row.goal ?? 1) ? [`${LABELS[row.key] ?? row.key} ±${Math.round(rme * 100)}%`] : [];
  });
  if (spread.length > 0) found.push(`the measured batches spread wider than the goal (${spread.join(', ')}): more --repetitions narrow it`);
  if (fam === 'startup' && conditions.busyCpusBefore !== null && conditions.busyCpusBefore >= 0.25 * conditions.cpus) {
    found.push(
      `the machine was busy with other work as the run began (${conditions.busyCpusBefore.toFixed(1)} of ${conditions.cpus} CPUs): measured starts competed with it, the model sees only the scenario`,
    );
  }
  if (fam === 'memory' && misses.some((row) => row.key === 'memorySharedBytes')) {
    const m = model.metrics.memorySharedBytes;
    const r = measured.metrics.memorySharedBytes;
    if (m !== null && r !== null) {
      found.push(
        `shared memory measured is the engine's daemons as they are now (${formatBytes(r)}, which grows with the images and containers they have served since they started) against the profile's ${formatBytes(m)}; \`isobench calibrate\` records this host's`,
      );
    }
  }
  if (fam === 'disk') {
    const small = misses.filter((row) => row.measured !== null && Math.abs(row.model - row.measured) < 64 * 1024);
    if (small.length > 0) {
      found.push(
        `${small.map((row) => `${LABELS[row.key] ?? row.key} differs by ${formatBytes(Math.abs(row.model - (row.measured ?? 0)))}`).join(', ')}: the model counts whole 4 KiB blocks, the engines count bytes (SizeRw, apparent sizes), a large share of a figure this small; a larger --real-scale shrinks it`,
      );
    }
  }
  return found;
}
