// The real phase with fake backends: pairs of (model as run, measured), the as-run tag, a stop on
// an interrupt or an engine fault with what completed, and cleanup run in every case; and each
// real backend's as-run rules (runtime, accelerator, boot, warm cache).

import { describe, expect, it } from 'vitest';
import { dockerBackend } from '../../src/backends/docker/index.js';
import { createMockBackend } from '../../src/backends/mock/index.js';
import { qemuBackend } from '../../src/backends/qemu/index.js';
import type { RealBackend, RealRunOptions, RunOutcome } from '../../src/backends/types.js';
import { EngineError, InterruptedError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseBenchOptions } from '../../src/cli/bench-options.js';
import { modelBeside, runReal } from '../../src/cli/real-run.js';
import type { Scenario } from '../../src/scenario/types.js';
import { currentEnvironment } from '../../src/report/environment.js';
import { emptyMetrics, type PlatformResult } from '../../src/report/types.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { TINY } from './run-cli.js';

type Step = (options: RealRunOptions) => Promise<RunOutcome | undefined>;

/** A container backend that registers one cleanup action per run and then does `step` (which may end the run its own way). */
function fakeBackend(step: Step, log: string[]): RealBackend {
  return {
    name: 'docker',
    platform: 'container',
    probe: async () => ({ version: 'fake' }),
    modelAsRun: (scenario) => ({ scenario, notes: [] }),
    clean: async () => ({ removed: {}, notes: [] }),
    run: async (scenario, options) => {
      options.cleanup.defer(`remove ${scenario.name}`, () => void log.push(`cleanup ${scenario.name}`));
      const ended = await step(options);
      if (ended) return ended;
      log.push(`ran ${scenario.name} x${scenario.totalInstances}`);
      const result = {
        platform: 'container',
        backend: 'docker',
        state: 'completed',
        profile: 'docker-runc',
        provenance: { kind: 'measured', engine: 'docker', engineVersion: 'fake', scale: 1, instancesMeasured: scenario.totalInstances, instancesRequested: scenario.totalInstances, repetitions: 1 },
        metrics: {
          startupFirstMs: 1,
          startupAllMs: 1,
          startupP50Ms: 1,
          startupP99Ms: 1,
          memorySharedBytes: 1,
          memoryPerInstanceBytes: 1,
          memoryUniqueBytes: 1,
          memoryTotalBytes: 1,
          diskSharedBytes: 1,
          diskPerInstanceBytes: 1,
          diskTotalBytes: 1,
          maxInstances: null,
          hostsNeeded: null,
        },
        breakdown: { startup: [], memory: [], disk: [], capacity: [] },
      } satisfies PlatformResult;
      return { state: 'completed', result };
    },
  };
}

async function setup(step: Step, abort?: AbortController, backend?: RealBackend) {
  const catalog = builtinCatalog();
  const [tiny] = await loadScenarios([TINY], catalog);
  const second = { ...tiny!, name: 'tiny-second' };
  const log: string[] = [];
  const controller = abort ?? new AbortController();
  const outcome = await runReal({
    runId: 'test',
    scenarios: [tiny!, second],
    backends: [backend ?? fakeBackend(step, log)],
    catalog,
    environment: currentEnvironment(),
    options: parseBenchOptions({ realMaxInstances: '1', realScale: '0.5' }),
    signal: controller.signal,
    progress: () => undefined,
  });
  return { outcome, log };
}

describe('runReal', () => {
  it('measures the scenario as run (2 instances capped to 1) and models that same scenario beside it', async () => {
    const { outcome, log } = await setup(async () => undefined);
    expect(outcome.stopped).toBeUndefined();
    expect(outcome.completed).toEqual(['tiny-web (docker)', 'tiny-second (docker)']);
    expect(log).toEqual(['ran tiny-web x1', 'ran tiny-second x1', 'cleanup tiny-second', 'cleanup tiny-web']);
    const [model, measured] = outcome.results.get('tiny-web')!;
    expect(model).toMatchObject({ platform: 'container', backend: 'model', asRun: { scale: 0.5, instances: 1, instancesRequested: 2 } });
    expect(model!.asRun!.host).toMatch(/^this machine: \d+ cpus, /);
    expect(measured!.provenance).toMatchObject({ kind: 'measured', scale: 0.5, instancesMeasured: 1, instancesRequested: 2 });
    expect(measured!.notes).toContain('instances capped at 1 of 2 (--real-max-instances 1)');
  });

  it('stops on an interrupt with what completed, running every cleanup action', async () => {
    const controller = new AbortController();
    let runs = 0;
    const { outcome, log } = await setup(async (options) => {
      runs += 1;
      if (runs === 2) {
        controller.abort(new InterruptedError('SIGINT'));
        throw new EngineError('container killed while stopping'); // what a backend may throw mid-abort
      }
      expect(options.signal.aborted).toBe(false);
      return undefined;
    }, controller);
    expect(outcome.stopped?.during).toBe('tiny-second (docker)');
    expect(outcome.stopped?.error).toBeInstanceOf(InterruptedError); // the signal wins over the backend's error
    expect(outcome.completed).toEqual(['tiny-web (docker)']);
    expect(log).toEqual(['ran tiny-web x1', 'cleanup tiny-second', 'cleanup tiny-web']);
    expect([...outcome.results.keys()]).toEqual(['tiny-web']);
  });

  it('stops on an engine fault and keeps the EngineError for exit code 3', async () => {
    const { outcome, log } = await setup(async () => {
      throw new EngineError('the Docker daemon stopped answering');
    });
    expect(outcome.stopped?.error).toBeInstanceOf(EngineError);
    expect(outcome.completed).toEqual([]);
    expect(log).toEqual(['cleanup tiny-web']);
  });

  it('keeps the partial result a backend returns, beside the as-run model, and stops with its error', async () => {
    const { outcome } = await setup(async () => {
      const partial = { platform: 'container', backend: 'docker', state: 'partial', error: 'daemon gone', metrics: emptyMetrics() } as PlatformResult;
      const error = new EngineError('the Docker daemon stopped answering');
      return {
        state: 'partial',
        error,
        result: {
          ...partial,
          provenance: { kind: 'measured', engine: 'docker', engineVersion: null, scale: 1, instancesMeasured: 1, instancesRequested: 1, repetitions: 1 },
          notes: [],
        } as PlatformResult,
      };
    });
    const results = outcome.results.get('tiny-web')!;
    expect(results.map((r) => `${r.backend}:${r.state}:${r.asRun ? 'as-run' : ''}`)).toEqual(['model:completed:as-run', 'docker:partial:']);
    expect(outcome.stopped?.error).toBeInstanceOf(EngineError);
    expect(outcome.completed).toEqual([]);
  });

  it("with the mock backend: an engine fault in batch 2 keeps batch 1 as a partial result, with the shared driver's figures", async () => {
    const mock = createMockBackend({ instanceMs: 5, engineFailsInBatch: 2 });
    const { outcome } = await setup(async () => undefined, undefined, mock);
    // warm-up (batch index 0), measured 1 (index 1), then the fault in index 2: one measured batch kept.
    const measured = outcome.results.get('tiny-web')!.find((r) => r.backend === 'mock')!;
    expect(measured.state).toBe('partial');
    expect(measured.error).toBe('mock engine failed in batch 3');
    expect(measured.provenance).toMatchObject({ kind: 'measured', engine: 'mock', repetitions: 1 });
    expect(measured.timeline).toHaveLength(1);
    expect(outcome.stopped?.error).toBeInstanceOf(EngineError);
    expect((outcome.stopped!.error as Error).message).toBe('mock engine failed in batch 3');
  });
});

/** A measured result of `backend` on `platform`, just enough for modelAsRun. */
function measuredOn(backend: 'qemu' | 'docker', extra: Partial<PlatformResult> & { accelerator?: 'kvm' | 'tcg' } = {}): PlatformResult {
  const { accelerator, ...rest } = extra;
  return {
    platform: backend === 'qemu' ? 'vm' : 'container',
    backend,
    provenance: { kind: 'measured', engine: backend, engineVersion: 'x', ...(accelerator ? { accelerator } : {}), scale: 1, instancesMeasured: 2, instancesRequested: 2, repetitions: 1 },
    ...rest,
  } as PlatformResult;
}

describe('each backend models what it ran', () => {
  const catalog = builtinCatalog();
  const tiny = async (): Promise<Scenario> => (await loadScenarios([TINY], catalog))[0]!;

  it('qemu: a TCG measurement with the qemu-tcg profile, never the KVM one the scenario names', async () => {
    const scenario = await tiny(); // vm.hypervisor: qemu-kvm
    const tcg = modelBeside(qemuBackend, scenario, measuredOn('qemu', { accelerator: 'tcg' }), catalog)!;
    expect(tcg.profile).toBe('qemu-tcg');
    expect(tcg.notes).toContain('modeled with the qemu-tcg profile, as measured (the scenario names qemu-kvm)');
    const kvm = modelBeside(qemuBackend, scenario, measuredOn('qemu', { accelerator: 'kvm' }), catalog)!;
    expect(kvm.profile).toBe('qemu-kvm');
    expect(kvm.notes!.some((note) => note.startsWith('modeled with the qemu'))).toBe(false);
    // TCG emulates the guest: the same scenario boots much slower than under KVM.
    expect(tcg.metrics.startupFirstMs!).toBeGreaterThan(kvm.metrics.startupFirstMs!);
  });

  it('docker: the runtime the engine really used', async () => {
    const model = modelBeside(dockerBackend, await tiny(), measuredOn('docker', { profile: 'docker-crun' }), catalog)!;
    expect(model.profile).toBe('docker-crun');
    expect(model.notes).toContain('modeled with the docker-crun profile, as measured (the scenario names docker-runc)');
  });

  it('qemu: the direct kernel boot it really was, whatever boot the scenario names', async () => {
    const scenario = await tiny();
    const systemd = { ...scenario, services: scenario.services.map((s) => ({ ...s, vm: { ...s.vm, boot: 'systemd' as const } })) };
    const measured = measuredOn('qemu', { accelerator: 'kvm' });
    const asBooted = modelBeside(qemuBackend, systemd, measured, catalog)!;
    expect(asBooted.notes).toContain('modeled as boot: kernel, as measured: the real guest boots straight into a busybox init (the scenario names systemd)');
    // Same numbers as the scenario written with boot: kernel (tiny-web's own boot).
    expect(asBooted.metrics).toEqual(modelBeside(qemuBackend, scenario, measured, catalog)!.metrics);
  });

  it('qemu: one process in the guest, since fork-app is not in its initramfs', async () => {
    const scenario = await tiny();
    const forking = { ...scenario, services: scenario.services.map((s) => ({ ...s, app: { ...s.app, fork: { workers: 4, writesRatio: 0.1 } } })) };
    const measured = measuredOn('qemu', { accelerator: 'kvm' });
    const model = modelBeside(qemuBackend, forking, measured, catalog)!;
    expect(model.notes).toContain('modeled without forked workers, as measured: the guest runs the app as one process (fork-app is not in the initramfs)');
    expect(model.metrics).toEqual(modelBeside(qemuBackend, scenario, measured, catalog)!.metrics);
  });

  it('every backend: a warm cache, since images and installs are made before anything is timed', async () => {
    const cold = { ...(await tiny()), cache: 'cold' as const };
    const measured = measuredOn('docker', { profile: 'docker-runc' });
    const model = modelBeside(dockerBackend, cold, measured, catalog)!;
    expect(model.notes).toContain('modeled with cache: warm, as measured: images are built or pulled before any start is timed (the scenario says cold)');
    // Same figures as the scenario written warm: no image fetch is modeled.
    expect(model.metrics).toEqual(modelBeside(dockerBackend, { ...cold, cache: 'warm' }, measured, catalog)!.metrics);
  });
});
