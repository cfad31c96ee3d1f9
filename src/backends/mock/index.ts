// The mock backend: runs the shared repetition driver over synthetic instances, with no engine, so
// the CLI's real-run paths (progress, failure policy, partial results, interrupts, as-run model,
// report) are tested anywhere. Its numbers are not measurements: every result says so, and the CLI
// offers it only under ISOBENCH_MOCK_BACKEND=1.

import { EngineError } from '../../errors.js';
import { emptyMetrics, type PlatformResult } from '../../report/types.js';
import type { Scenario } from '../../scenario/types.js';
import { abortable, throwIfAborted } from '../shared/abort.js';
import { asMeasured } from '../shared/as-run-model.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { DECLARED_STARTUP_NOTE, runRepetitions } from '../shared/repetitions.js';
import { startupSummary } from '../shared/startup.js';
import { waves } from '../shared/waves.js';
import type { RealBackend, RealRunOptions, RunOutcome } from '../types.js';

export interface MockConfig {
  /** Synthetic ms of each instance's one phase ('work'); also slept, so a run takes real time. */
  instanceMs: number;
  /** The engine "fails" (EngineError) in this 0-based batch; undefined: never. */
  engineFailsInBatch?: number;
}

/** A mock backend with the given behaviour (tests make engine faults with engineFailsInBatch). */
export function createMockBackend(config: MockConfig = { instanceMs: 5 }): RealBackend {
  return {
    name: 'mock',
    platform: 'process',
    async probe() {
      return { mock: true, note: 'synthetic: measures nothing' };
    },
    run: (scenario, options) => runMock(scenario, options, config),
    modelAsRun: (scenario) => asMeasured(scenario),
    async clean() {
      return { removed: {}, notes: [] };
    },
  };
}

/** `--real mock` (ISOBENCH_MOCK_BACKEND=1). */
export const mockBackend: RealBackend = createMockBackend();

async function runMock(scenario: Scenario, options: RealRunOptions, config: MockConfig): Promise<RunOutcome> {
  const services = scenario.services.flatMap((service) => Array.from({ length: service.instances }, () => service));
  const slept = options.appStartup === 'sleep';
  const repetitions = await runRepetitions<null>({
    backend: 'mock',
    instances: services.length,
    options,
    ...(slept ? {} : { declaredStartupMs: (name: string) => scenario.services.find((s) => s.name === name)?.app.startupMs ?? 0 }),
    runBatch: async ({ index }) => {
      if (index === config.engineFailsInBatch) throw new EngineError(`mock engine failed in batch ${index + 1}`);
      const outcomes: InstanceOutcome[] = [];
      let at = 0;
      for (const [wave, members] of waves(services.length, scenario.concurrency).entries()) {
        throwIfAborted(options.signal);
        const ms = config.instanceMs + (slept ? Math.max(...members.map((i) => services[i]!.app.startupMs)) : 0);
        // A timer that keeps the process alive (shared sleep() is unref'd: real backends have children that do).
        await abortable(new Promise<void>((resolve) => setTimeout(resolve, ms)), options.signal);
        for (const i of members) {
          const service = services[i]!;
          const startupMs = config.instanceMs + (slept ? service.app.startupMs : 0);
          outcomes.push({ state: 'ready', index: i, service: service.name, id: `mock-${i}`, phases: { work: startupMs }, requestedAtMs: at, startupMs, readyAtMs: at + startupMs, wave });
        }
        at += ms;
      }
      return { outcomes, extra: null };
    },
  });
  const batches = repetitions.batches.map((b) => b.outcomes);
  const startup = startupSummary(batches, [{ label: 'work', note: 'synthetic' }]);
  const result: PlatformResult = {
    platform: 'process',
    backend: 'mock',
    state: repetitions.failures.length > 0 ? 'partial' : 'completed',
    ...(repetitions.failures.length > 0 ? { error: repetitions.failures.join('; ') } : {}),
    profile: 'process',
    provenance: {
      kind: 'measured',
      engine: 'mock',
      engineVersion: null,
      scale: options.scale,
      instancesMeasured: scenario.totalInstances,
      instancesRequested: scenario.totalInstances,
      repetitions: batches.length,
    },
    metrics: { ...emptyMetrics(), ...startup.metrics },
    breakdown: { startup: startup.breakdown, memory: [], disk: [], capacity: [] },
    stats: startup.stats,
    timeline: startup.timeline,
    notes: ['mock backend: synthetic timings for testing the CLI; nothing was measured', ...(slept ? [] : [DECLARED_STARTUP_NOTE]), 'memory and disk: not measured (null)'],
  };
  if (repetitions.engineError !== undefined) {
    if (batches.length === 0) return { state: 'failed', error: repetitions.engineError };
    return { state: 'partial', result: { ...result, state: 'partial', error: repetitions.engineError.message }, error: repetitions.engineError };
  }
  return { state: 'completed', result };
}
