// The measured part of `bench --real`: per scenario and backend, run the scenario as run (scaled,
// capped) and model that same scenario beside it. Stops on a signal or an engine fault with what
// completed so far, after running every cleanup action.

import { CleanupStack } from '../backends/shared/cleanup.js';
import { sampleBusyCpus } from '../backends/shared/host-busy.js';
import { missNote } from '../compare/fidelity.js';
import { layersAsBuilt, type BuiltBinaries } from '../backends/shared/as-built.js';
import { readBusybox } from '../backends/shared/busybox.js';
import { readForkApp } from '../backends/shared/fork-app.js';
import type { RealBackend } from '../backends/types.js';
import { EngineError, InterruptedError } from '../errors.js';
import { evaluateScenario } from '../model/evaluate.js';
import { runtimeVariants } from '../model/runtime-variants.js';
import type { ProfileCatalog } from '../profiles/types.js';
import { thisMachineHost } from '../report/environment.js';
import type { AsRun, Environment, PlatformResult } from '../report/types.js';
import { scenarioAsRun } from '../scenario/as-run.js';
import type { Scenario } from '../scenario/types.js';
import { formatBytes } from '../units/format.js';
import type { BenchOptions } from './bench-options.js';
import { RunProgress } from './progress.js';

export interface RealRunInput {
  runId: string;
  scenarios: Scenario[];
  backends: RealBackend[];
  catalog: ProfileCatalog;
  environment: Environment;
  options: BenchOptions;
  signal: AbortSignal;
  progress: (line: string) => void;
  /** CPUs' worth of other work on the machine as a run begins (default: /proc/stat over 200 ms). */
  busyCpus?: () => Promise<number | null>;
}

/** What the real phase produced: result pairs per scenario name, and how far it got. */
export interface RealRunOutcome {
  results: Map<string, PlatformResult[]>;
  completed: string[];
  /** Set when the phase stopped early: the error, and the step it stopped in. */
  stopped?: { error: unknown; during: string };
  cleanupFailures: string[];
}

/** Runs every (scenario, backend) pair in order; never throws, reports a stop in the outcome. */
export async function runReal(input: RealRunInput): Promise<RealRunOutcome> {
  const { options, signal } = input;
  const cleanup = new CleanupStack();
  const results = new Map<string, PlatformResult[]>();
  const completed: string[] = [];
  let stopped: RealRunOutcome['stopped'];
  let step = 'start';
  const steps = input.scenarios.flatMap((written) => input.backends.flatMap((backend) => runsOf(written, backend).map((run) => ({ written, backend, ...run }))));
  const clock = new RunProgress(steps.length);
  const say = (line: string): void => input.progress(`${clock.prefix()} ${line}`);
  const binaries = input.backends.some((b) => b.layersFromPlan !== undefined) ? await builtBinaries() : undefined;
  const sampleBusy = input.busyCpus ?? (() => sampleBusyCpus(input.environment.cpus, 200));
  const record = (
    scenario: Scenario,
    asRun: Scenario,
    asRunTag: AsRun,
    notes: string[],
    backend: RealBackend,
    measured: PlatformResult,
    runtime: string | undefined,
    busyCpusBefore: number | null,
  ): void => {
    const model = modelBeside(backend, asRun, measured, input.catalog, binaries);
    const tag = runtime === undefined ? {} : { runtime };
    const miss = model === undefined || measured.state === 'failed' ? undefined : missNote(model, measured, { cpus: input.environment.cpus, busyCpusBefore });
    const measuredNotes = miss === undefined ? notes : [...notes, miss];
    const pair = [
      ...(model ? [{ ...model, asRun: asRunTag, notes: [...(model.notes ?? []), ...notes], ...tag }] : []),
      { ...withRequested(measured, scenario, options.realScale, measuredNotes), ...tag },
    ];
    results.set(scenario.name, [...(results.get(scenario.name) ?? []), ...pair]);
  };
  try {
    let index = 0;
    for (const { written, backend, runtime, scenario } of steps) {
      {
        clock.startStep(index);
        index += 1;
        step = `${scenario.name} (${backend.name}${runtime === undefined ? '' : `, ${runtime}`})`;
        if (signal.aborted) throw signal.reason;
        const asRun = scenarioAsRun(scenario, {
          scale: options.realScale,
          maxInstances: options.realMaxInstances,
          host: thisMachineHost(scenario.host, input.environment),
        });
        const asRunTag = {
          scale: options.realScale,
          instances: asRun.scenario.totalInstances,
          instancesRequested: scenario.totalInstances,
          host: `this machine: ${input.environment.cpus} cpus, ${formatBytes(input.environment.memoryBytes)}`,
        };
        if (asRun.capped) say(`${scenario.name}: ${asRun.notes.join('; ')}`);
        say(`${step}: running ${asRun.scenario.totalInstances} instances`);
        const busyCpusBefore = await sampleBusy();
        const outcome = await backend.run(asRun.scenario, {
          runId: input.runId,
          scale: options.realScale,
          maxInstances: options.realMaxInstances,
          repetitions: options.repetitions,
          warmup: options.warmup,
          instanceTimeoutMs: options.instanceTimeoutMs,
          onInstanceFailure: options.onInstanceFailure,
          appStartup: options.appStartup,
          signal,
          cleanup,
          progress: say,
          onBatch: (done, total) => clock.batchDone(done, total),
        });
        // A run that stopped midway keeps what it measured (state 'partial' in the report); one that
        // measured nothing is still reported, as failed, when the backend says what it knew.
        if (outcome.result !== undefined) record(written, asRun.scenario, asRunTag, asRun.notes, backend, outcome.result, runtime, busyCpusBefore);
        if (outcome.state !== 'completed') throw outcome.error;
        const measured = outcome.result;
        if (measured.state !== 'completed' && options.onInstanceFailure === 'stop') {
          throw new EngineError(`${step}: ${measured.error ?? `the run ended ${measured.state}`}; stopped there (--on-instance-failure stop)`);
        }
        completed.push(step);
        if (signal.aborted) throw signal.reason;
      }
    }
  } catch (error) {
    // Once aborted, the signal that arrived is the reason, whatever the backend threw while stopping.
    stopped = { error: signal.aborted && signal.reason instanceof InterruptedError ? signal.reason : error, during: step };
  } finally {
    await cleanup.run();
  }
  return { results, completed, cleanupFailures: [...cleanup.failures], ...(stopped ? { stopped } : {}) };
}

/**
 * The runs of one scenario on one backend: one per compared runtime the backend runs (tagged with
 * it); else the scenario once, on its first runtime when it compares some the backend does not run.
 */
export function runsOf(scenario: Scenario, backend: RealBackend): { runtime: string | undefined; scenario: Scenario }[] {
  const variants = runtimeVariants(scenario);
  if (variants.length === 1 || backend.platform !== 'container' || backend.runsRuntime === undefined) {
    return [{ runtime: undefined, scenario: variants.length === 1 ? scenario : variants[0]!.scenario }];
  }
  const own = variants.filter((variant) => backend.runsRuntime!(variant.runtime!));
  return own.length > 0 ? own : [{ runtime: undefined, scenario: variants[0]!.scenario }];
}

/**
 * The model of what `backend` ran, for its platform: the backend's own as-run rules (runtime,
 * accelerator, boot, warm cache) applied to the scenario as run, then evaluated. Undefined when the
 * model has no result for that platform.
 */
export function modelBeside(backend: RealBackend, scenario: Scenario, measured: PlatformResult, catalog: ProfileCatalog, binaries?: BuiltBinaries): PlatformResult | undefined {
  const modeled = backend.modelAsRun(scenario, measured);
  const built =
    binaries === undefined || backend.layersFromPlan === undefined
      ? { scenario: modeled.scenario, notes: [] }
      : layersAsBuilt(modeled.scenario, backend.layersFromPlan === 'images' ? binaries : { busybox: binaries.busybox });
  const result = evaluateScenario(built.scenario, catalog).find((r) => r.platform === backend.platform);
  return result && { ...result, notes: [...modeled.notes, ...built.notes, ...(result.notes ?? [])] };
}

/** busybox and fork-app as the image plan sees them (size and digest); undefined where busybox is missing. */
export async function builtBinaries(): Promise<BuiltBinaries | undefined> {
  try {
    const busybox = await readBusybox();
    const forkApp = await readForkApp().catch(() => undefined);
    return {
      busybox: { bytes: busybox.bytes.length, digest: busybox.digest },
      ...(forkApp === undefined ? {} : { forkApp: { bytes: forkApp.bytes.length, digest: forkApp.digest } }),
    };
  } catch {
    return undefined;
  }
}
/** The backend saw only the scenario as run; record what was asked for and what changed. */
function withRequested(result: PlatformResult, scenario: Scenario, scale: number, notes: string[]): PlatformResult {
  const provenance = result.provenance.kind === 'measured' ? { ...result.provenance, scale, instancesRequested: scenario.totalInstances } : result.provenance;
  const known = new Set(result.notes ?? []);
  return { ...result, provenance, notes: [...(result.notes ?? []), ...notes.filter((note) => !known.has(note))] };
}
