// The real phase with fake backends: pairs of (model as run, measured), the as-run tag, a stop on
// an interrupt or an engine fault with what completed, and cleanup run in every case.

import { describe, expect, it } from 'vitest';
import type { RealBackend, RealRunOptions } from '../../src/backends/types.js';
import { withPartial } from '../../src/backends/docker/partial.js';
import { EngineError, InterruptedError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseBenchOptions } from '../../src/cli/bench-options.js';
import { modelAsRun, runReal } from '../../src/cli/real-run.js';
import { currentEnvironment } from '../../src/report/environment.js';
import type { PlatformResult } from '../../src/report/types.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { TINY } from './run-cli.js';

type Step = (options: RealRunOptions) => Promise<void>;

/** A container backend that registers one cleanup action per run and then does `step`. */
function fakeBackend(step: Step, log: string[]): RealBackend {
  return {
    name: 'docker',
    platform: 'container',
    probe: async () => ({ version: 'fake' }),
    run: async (scenario, options) => {
      options.cleanup.defer(`remove ${scenario.name}`, () => void log.push(`cleanup ${scenario.name}`));
      await step(options);
      log.push(`ran ${scenario.name} x${scenario.totalInstances}`);
      return {
        platform: 'container',
        backend: 'docker',
        state: 'completed',
        profile: 'docker-runc',
        provenance: { kind: 'measured', engine: 'docker', engineVersion: 'fake', scale: 1, instancesMeasured: scenario.totalInstances, instancesRequested: scenario.totalInstances, repetitions: 1 },
        metrics: { startupFirstMs: 1, startupAllMs: 1, startupP50Ms: 1, startupP99Ms: 1, memorySharedBytes: 1, memoryPerInstanceBytes: 1, memoryTotalBytes: 1, diskSharedBytes: 1, diskPerInstanceBytes: 1, diskTotalBytes: 1, maxInstances: null, hostsNeeded: null },
        breakdown: { startup: [], memory: [], disk: [], capacity: [] },
      } satisfies PlatformResult;
    },
  };
}

async function setup(step: Step, abort?: AbortController) {
  const catalog = builtinCatalog();
  const [tiny] = await loadScenarios([TINY], catalog);
  const second = { ...tiny!, name: 'tiny-second' };
  const log: string[] = [];
  const controller = abort ?? new AbortController();
  const outcome = await runReal({
    runId: 'test',
    scenarios: [tiny!, second],
    backends: [fakeBackend(step, log)],
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

  it('keeps the partial result a backend attaches to its error, beside the as-run model', async () => {
    const { outcome } = await setup(async () => {
      const partial = { platform: 'container', backend: 'docker', state: 'partial', error: 'daemon gone' } as PlatformResult;
      throw withPartial(new EngineError('the Docker daemon stopped answering'), { ...partial, provenance: { kind: 'measured', engine: 'docker', engineVersion: null, scale: 1, instancesMeasured: 1, instancesRequested: 1, repetitions: 1 }, notes: [] } as PlatformResult);
    });
    const results = outcome.results.get('tiny-web')!;
    expect(results.map((r) => `${r.backend}:${r.state}:${r.asRun ? 'as-run' : ''}`)).toEqual(['model:completed:as-run', 'docker:partial:']);
    expect(outcome.completed).toEqual([]);
  });

  it('models a TCG measurement with the qemu-tcg profile, never the KVM one the scenario names', async () => {
    const catalog = builtinCatalog();
    const [tiny] = await loadScenarios([TINY], catalog); // vm.hypervisor: qemu-kvm
    const measured = (accelerator: 'kvm' | 'tcg') =>
      ({ platform: 'vm', backend: 'qemu', provenance: { kind: 'measured', engine: 'qemu', engineVersion: '7.2', accelerator, scale: 1, instancesMeasured: 2, instancesRequested: 2, repetitions: 1 } }) as PlatformResult;
    const tcg = modelAsRun(tiny!, 'vm', measured('tcg'), catalog)!;
    expect(tcg.profile).toBe('qemu-tcg');
    expect(tcg.notes![0]).toBe('modeled with the qemu-tcg profile, as measured (the scenario names qemu-kvm)');
    const kvm = modelAsRun(tiny!, 'vm', measured('kvm'), catalog)!;
    expect(kvm.profile).toBe('qemu-kvm');
    expect(kvm.notes!.some((note) => note.startsWith('modeled with'))).toBe(false);
    // TCG emulates the guest: the same scenario boots much slower than under KVM.
    expect(tcg.metrics.startupFirstMs!).toBeGreaterThan(kvm.metrics.startupFirstMs!);
  });

  it('models a Docker measurement with the runtime the engine really used', async () => {
    const catalog = builtinCatalog();
    const [tiny] = await loadScenarios([TINY], catalog); // container.runtime: docker-runc
    const onCrun = { platform: 'container', backend: 'docker', profile: 'crun', provenance: { kind: 'measured', engine: 'docker', engineVersion: '20.10', scale: 1, instancesMeasured: 2, instancesRequested: 2, repetitions: 1 } } as PlatformResult;
    const model = modelAsRun(tiny!, 'container', onCrun, catalog)!;
    expect(model.profile).toBe('crun');
    expect(model.notes![0]).toBe('modeled with the crun profile, as measured (the scenario names docker-runc)');
  });

  it('models a QEMU measurement as the direct kernel boot it really was, whatever boot the scenario names', async () => {
    const catalog = builtinCatalog();
    const [tiny] = await loadScenarios([TINY], catalog);
    const systemd = { ...tiny!, services: tiny!.services.map((s) => ({ ...s, vm: { ...s.vm, boot: 'systemd' as const } })) };
    const measured = { platform: 'vm', backend: 'qemu', provenance: { kind: 'measured', engine: 'qemu', engineVersion: '7.2', accelerator: 'kvm', scale: 1, instancesMeasured: 2, instancesRequested: 2, repetitions: 1 } } as PlatformResult;
    const asBooted = modelAsRun(systemd, 'vm', measured, catalog)!;
    expect(asBooted.notes![0]).toBe('modeled as boot: kernel, as measured: the real guest boots straight into a busybox init (the scenario names systemd)');
    // Same numbers as the scenario written with boot: kernel (tiny-web's own boot).
    expect(asBooted.metrics).toEqual(modelAsRun(tiny!, 'vm', measured, catalog)!.metrics);
  });
});
