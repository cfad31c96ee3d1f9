// The one warm-up / measured-batch loop of every real backend (hyperfine's Benchmark::run): what a
// batch is differs per backend (its runBatch); the loop, the progress line, the failure policy and
// the declared-startup replay exist once.

import { EngineError } from '../../errors.js';
import type { RealRunOptions } from '../types.js';
import { throwIfAborted } from './abort.js';
import { describeFailures, type InstanceOutcome } from './instances.js';

/** Which batch runBatch is asked for. */
export interface BatchContext {
  /** 0-based over warm-up and measured batches. */
  index: number;
  measured: boolean;
  /** The last batch of the run: where memory and disk are measured. */
  last: boolean;
}

/** What one batch gave: its instances' outcomes in start order, and whatever else the backend keeps. */
export interface BatchRun<T> {
  outcomes: InstanceOutcome[];
  extra: T;
}

export interface RepetitionPlan<T> {
  /** The backend's name, first on every progress line. */
  backend: string;
  /** Instances per batch, for the progress line. */
  instances: number;
  /**
   * Instances in a warm-up batch when the backend runs a smaller one (a warm-up warms the daemon,
   * the images and the page cache, which one instance of each service does); default `instances`.
   */
  warmupInstances?: number;
  options: RealRunOptions;
  runBatch(context: BatchContext): Promise<BatchRun<T>>;
  /**
   * The declared app startup (ms) of a service to add to its measured starts, when the app did not
   * sleep it (options.appStartup 'add'); undefined when the app slept it.
   */
  declaredStartupMs?: (service: string) => number;
}

export interface Repetitions<T> {
  /** The measured batches, in order (declared startups added). */
  batches: BatchRun<T>[];
  /** One sentence per kind of instance failure, per measured batch. */
  failures: string[];
  /** The engine fault that ended the run early; the batches before it are kept. */
  engineError?: EngineError;
}

/**
 * Runs options.warmup unmeasured then options.repetitions measured batches. Stops after a batch with
 * a failed instance under --on-instance-failure stop, and at an EngineError (returned, with what was
 * measured before it). InterruptedError and bugs are thrown.
 */
export async function runRepetitions<T>(plan: RepetitionPlan<T>): Promise<Repetitions<T>> {
  const { options } = plan;
  const total = options.warmup + options.repetitions;
  const batches: BatchRun<T>[] = [];
  const failures: string[] = [];
  for (let index = 0; index < total; index += 1) {
    throwIfAborted(options.signal);
    const measured = index >= options.warmup;
    const label = measured ? `batch ${index - options.warmup + 1}/${options.repetitions}` : `warm-up ${index + 1}/${options.warmup}`;
    options.progress(`${plan.backend}: ${label} of ${measured ? plan.instances : (plan.warmupInstances ?? plan.instances)} instance(s)`);
    let batch: BatchRun<T>;
    try {
      batch = await plan.runBatch({ index, measured, last: index === total - 1 });
    } catch (error) {
      if (error instanceof EngineError && !options.signal.aborted) return { batches, failures, engineError: error };
      throw error;
    }
    options.onBatch?.(index + 1, total);
    if (!measured) continue;
    const outcomes = plan.declaredStartupMs === undefined ? batch.outcomes : withDeclaredStartup(batch.outcomes, plan.declaredStartupMs, options.instanceTimeoutMs);
    batches.push({ ...batch, outcomes });
    const described = describeFailures(outcomes).map((text) => `batch ${batches.length}: ${text}`);
    failures.push(...described);
    if (described.length > 0 && options.onInstanceFailure === 'stop') break;
  }
  return { batches, failures };
}

/**
 * The batch as it would have gone had each app slept its declared startup. The app script sleeps
 * what is left of app.startup after its own work (holding its memory), so an instance's start grows
 * by max(0, startup - its last phase), added to that phase; each wave starts when the previous one
 * would have been ready, so the batch figures keep how long a concurrency slot stays busy. A start
 * that now exceeds the instance timeout is a timeout, as it would have been. Pure.
 */
export function withDeclaredStartup(outcomes: readonly InstanceOutcome[], declaredMs: (service: string) => number, timeoutMs: number): InstanceOutcome[] {
  /** What the sleep would have added: the declared startup less the app's own work before ready. */
  const extraMs = (o: Extract<InstanceOutcome, { state: 'ready' }>): number => Math.max(0, declaredMs(o.service) - (Object.values(o.phases).at(-1) ?? 0));
  const waves = [...new Set(outcomes.flatMap((o) => (o.state === 'ready' ? [o.wave] : [])))].sort((a, b) => a - b);
  // shift[wave]: how much later the wave starts than it really did.
  const shift = new Map<number, number>();
  let carried = 0;
  let previousVirtualEnd: number | null = null;
  for (const wave of waves) {
    const members = outcomes.flatMap((o) => (o.state === 'ready' && o.wave === wave ? [o] : []));
    const realStart = Math.min(...members.map((o) => o.requestedAtMs));
    if (previousVirtualEnd !== null) carried = Math.max(carried, previousVirtualEnd - realStart);
    shift.set(wave, carried);
    previousVirtualEnd = Math.max(...members.map((o) => o.readyAtMs + carried + extraMs(o)));
  }
  return outcomes.map((o): InstanceOutcome => {
    if (o.state !== 'ready') return o;
    const declared = declaredMs(o.service);
    const extra = extraMs(o);
    if (extra <= 0) return o;
    const startupMs = o.startupMs + extra;
    if (startupMs > timeoutMs) {
      return {
        state: 'failed',
        index: o.index,
        service: o.service,
        id: o.id,
        reason: 'timeout',
        message: `no ready marker within ${Math.round(timeoutMs / 1000)} s (the declared app startup of ${Math.round(declared)} ms, after the measured ${Math.round(o.startupMs)} ms start)`,
      };
    }
    const labels = Object.keys(o.phases);
    const lastLabel = labels.at(-1) ?? 'app';
    const waveShift = shift.get(o.wave) ?? 0;
    return {
      ...o,
      phases: { ...o.phases, [lastLabel]: (o.phases[lastLabel] ?? 0) + extra },
      requestedAtMs: o.requestedAtMs + waveShift,
      startupMs,
      readyAtMs: o.readyAtMs + waveShift + extra,
    };
  });
}

/** The progress note for a run that added declared startups instead of sleeping them. */
export const DECLARED_STARTUP_NOTE =
  "app.startup was not slept: each instance's measured start (engine, exec, app memory) has the declared startup added, and each wave is replayed to start when the previous one would have been ready (a sleep competes for no CPU, disk or engine); --real-app-startup sleep waits it out for real";
