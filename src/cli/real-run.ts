// The measured part of `bench --real`: per scenario and backend, run the scenario as run (scaled,
// capped) and model that same scenario beside it. Stops on a signal or an engine fault with what
// completed so far, after running every cleanup action.

import { CleanupStack } from '../backends/cleanup.js';
import { partialResultOf } from '../backends/docker/partial.js';
import type { RealBackend } from '../backends/types.js';
import { EngineError, InterruptedError } from '../errors.js';
import { evaluateScenario } from '../model/evaluate.js';
import type { ProfileCatalog } from '../profiles/types.js';
import { thisMachineHost } from '../report/environment.js';
import type { AsRun, Environment, PlatformResult } from '../report/types.js';
import { scenarioAsRun } from '../scenario/as-run.js';
import type { Scenario } from '../scenario/types.js';
import { formatBytes } from '../units/format.js';
import type { BenchOptions } from './bench-options.js';

export interface RealRunInput {
  runId: string;
  scenarios: Scenario[];
  backends: RealBackend[];
  catalog: ProfileCatalog;
  environment: Environment;
  options: BenchOptions;
  signal: AbortSignal;
  progress: (line: string) => void;
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
  let current: { scenario: Scenario; asRun: Scenario; asRunTag: AsRun; notes: string[]; platform: PlatformResult['platform'] } | undefined;
  const record = (measured: PlatformResult): void => {
    if (current === undefined) return;
    const model = modelAsRun(current.asRun, current.platform, measured, input.catalog);
    const pair = [
      ...(model ? [{ ...model, asRun: current.asRunTag, notes: [...(model.notes ?? []), ...current.notes] }] : []),
      withRequested(measured, current.scenario, options.realScale, current.notes),
    ];
    results.set(current.scenario.name, [...(results.get(current.scenario.name) ?? []), ...pair]);
  };
  try {
    for (const scenario of input.scenarios) {
      for (const backend of input.backends) {
        step = `${scenario.name} (${backend.name})`;
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
        current = { scenario, asRun: asRun.scenario, asRunTag, notes: asRun.notes, platform: backend.platform };
        if (asRun.capped) input.progress(`${scenario.name}: ${asRun.notes.join('; ')}`);
        input.progress(`${step}: running ${asRun.scenario.totalInstances} instances`);
        const measured = await backend.run(asRun.scenario, {
          runId: input.runId,
          scale: options.realScale,
          maxInstances: options.realMaxInstances,
          repetitions: options.repetitions,
          warmup: options.warmup,
          instanceTimeoutMs: options.instanceTimeoutMs,
          onInstanceFailure: options.onInstanceFailure,
          signal,
          cleanup,
          progress: input.progress,
        });
        record(measured);
        current = undefined;
        if (measured.state !== 'completed' && options.onInstanceFailure === 'stop') {
          throw new EngineError(`${step}: ${measured.error ?? `the run ended ${measured.state}`}; stopped there (--on-instance-failure stop)`);
        }
        completed.push(step);
        if (signal.aborted) throw signal.reason;
      }
    }
  } catch (error) {
    // A backend that stopped midway may attach what it measured so far (state 'partial' or 'failed').
    const partial = partialResultOf(error);
    if (partial) record(partial);
    // Once aborted, the signal that arrived is the reason, whatever the backend threw while stopping.
    stopped = { error: signal.aborted && signal.reason instanceof InterruptedError ? signal.reason : error, during: step };
  } finally {
    await cleanup.run();
  }
  return { results, completed, cleanupFailures: [...cleanup.failures], ...(stopped ? { stopped } : {}) };
}

/**
 * The model of the scenario as run, for the platform measured. A QEMU measurement runs under the
 * accelerator it found (KVM or TCG emulation): the model then uses the matching profile, so a TCG
 * measurement is never held against a KVM model (nor a KVM one against another hypervisor's).
 */
export function modelAsRun(
  scenario: Scenario,
  platform: PlatformResult['platform'],
  measured: PlatformResult,
  catalog: ProfileCatalog,
): PlatformResult | undefined {
  const accelerator = measured.provenance.kind === 'measured' ? measured.provenance.accelerator : undefined;
  const hypervisor = measured.backend === 'qemu' && accelerator !== undefined ? `qemu-${accelerator}` : undefined;
  const notes: string[] = [];
  let modeled = scenario;
  if (hypervisor !== undefined && hypervisor in catalog.hypervisors) {
    const changed = [...new Set(scenario.services.map((s) => s.vm.hypervisor).filter((h) => h !== hypervisor))];
    if (changed.length > 0) {
      notes.push(`modeled with the ${hypervisor} profile, as measured (the scenario names ${changed.join(', ')})`);
      modeled = { ...modeled, services: modeled.services.map((s) => ({ ...s, vm: { ...s.vm, hypervisor } })) };
    }
  }
  if (measured.backend === 'docker' && measured.profile in catalog.runtimes) {
    // Docker runs every container with its own runtime, whatever the scenario names.
    const runtime = measured.profile;
    const changed = [...new Set(modeled.services.map((s) => s.container.runtime).filter((r) => r !== runtime))];
    if (changed.length > 0) {
      notes.push(`modeled with the ${runtime} profile, as measured (the scenario names ${changed.join(', ')})`);
      modeled = { ...modeled, services: modeled.services.map((s) => ({ ...s, container: { ...s.container, runtime } })) };
    }
  }
  if (measured.backend === 'qemu') {
    // The real guest boots its kernel straight into a busybox init that plays the app.
    const changed = [...new Set(modeled.services.map((s) => s.vm.boot).filter((boot) => boot !== 'kernel'))];
    if (changed.length > 0) {
      notes.push(`modeled as boot: kernel, as measured: the real guest boots straight into a busybox init (the scenario names ${changed.join(', ')})`);
      modeled = { ...modeled, services: modeled.services.map((s) => ({ ...s, vm: { ...s.vm, boot: 'kernel' as const } })) };
    }
  }
  const result = evaluateScenario(modeled, catalog).find((r) => r.platform === platform);
  return result && { ...result, notes: [...notes, ...(result.notes ?? [])] };
}

/** The backend saw only the scenario as run; record what was asked for and what changed. */
function withRequested(result: PlatformResult, scenario: Scenario, scale: number, notes: string[]): PlatformResult {
  const provenance =
    result.provenance.kind === 'measured'
      ? { ...result.provenance, scale, instancesRequested: scenario.totalInstances }
      : result.provenance;
  const known = new Set(result.notes ?? []);
  return { ...result, provenance, notes: [...(result.notes ?? []), ...notes.filter((note) => !known.has(note))] };
}
