// What every real backend models as run: warm cache, no arrivals, no lifetimes (a real run starts
// its instances as concurrency allows and measures them before removing them).

import { describe, expect, it } from 'vitest';
import { asMeasured, onRuntime } from '../../../src/backends/shared/as-run-model.js';
import { evaluateScenario } from '../../../src/model/evaluate.js';
import { builtinCatalog } from '../../../src/profiles/catalog.js';
import { appPhases } from '../../../src/model/phases.js';
import { scenario, service } from '../../model/scenario-fixture.js';

describe('asMeasured', () => {
  it('leaves a warm, all-at-once scenario as it is, without notes', () => {
    const s = scenario();
    expect(asMeasured(s, { appScript: false })).toEqual({ scenario: s, notes: [] });
  });

  it('drops the cold cache, the arrival stream and the lifetimes, one note each', () => {
    const s = scenario([service({ app: { memoryBytes: 1, startupMs: 1, files: [], lifetimeMs: 90_000 } })], { cache: 'cold', arrival: { everyMs: 18_000 } });
    const { scenario: modeled, notes } = asMeasured(s, { appScript: false });
    expect(modeled.cache).toBe('warm');
    expect(modeled.arrival).toBeNull();
    expect(modeled.services[0]!.app.lifetimeMs).toBeNull();
    expect(notes).toHaveLength(3);
    expect(s.cache).toBe('cold'); // the input is untouched
  });

  it('models one host (this machine) for a cluster scenario, unless the backend spreads over hosts itself', () => {
    const s = { ...scenario(), cluster: { hosts: 3, placement: 'spread' as const } };
    const { scenario: modeled, notes } = asMeasured(s, { appScript: false });
    expect(modeled.cluster).toBeUndefined();
    expect(notes).toEqual(['modeled on one host, as measured: every instance ran on this machine (the scenario asks for 3 hosts)']);
    // Swarm decides the hosts from the nodes its tasks ran on: the cluster stays for it.
    expect(asMeasured(s, { oneHost: false, appScript: false }).scenario.cluster).toEqual({ hosts: 3, placement: 'spread' });
  });

  it("marks apps whose memory isobench's script holds, so the model as run counts that script's CPU", () => {
    // The fixture's app holds 64 MiB: 2.7 ms of script CPU (common.appScriptHoldMs) before its fill.
    const { scenario: modeled, notes } = asMeasured(scenario());
    expect(modeled.services[0]!.app.heldByScript).toBe(true);
    expect(notes).toEqual(["with the CPU of isobench's app script holding app.memory (a subshell, busybox dd, head and wc: common.appScriptHoldMs), which a real app does not spend"]);
    // 2.7 ms alone with 5.4 ms of CPU: its processes keep 5.4 / 2.7 = 2 CPUs busy.
    const phases = appPhases(modeled.services[0]!.app, 1250e6, 1, undefined, { wallMs: 2.7, cpuMs: 5.4 });
    expect(phases.map((p) => [p.label, p.ms, p.width ?? 1])).toEqual([
      ['app script: its processes holding the memory', 2.7, 2],
      ['app: fill its memory', ((64 * 1024 ** 2) / 1250e6) * 1000, 1],
      ['app: rest of its startup', 100 - 2.7 - ((64 * 1024 ** 2) / 1250e6) * 1000, 1],
    ]);
  });
});

describe('onRuntime', () => {
  it('models a runtime comparison on the one runtime that ran: Podman measured a [docker-runc, docker-runsc] scenario', () => {
    // The services are on the list's first runtime; the comparison would model both Docker runtimes
    // (and the first, with dockerd's memory, stood beside Podman's measurement).
    const s = scenario([service({ container: { runtime: 'docker-runc' } })], { runtimes: ['docker-runc', 'docker-runsc'] });
    const { scenario: modeled, notes } = onRuntime(s, 'podman-crun', 'as measured', { appScript: false });
    expect(modeled.runtimes).toBeUndefined();
    expect(modeled.services.map((x) => x.container.runtime)).toEqual(['podman-crun']);
    expect(notes).toEqual([
      'modeled on podman-crun alone, as measured (the scenario compares docker-runc, docker-runsc; one runtime ran)',
      'modeled with the podman-crun profile, as measured (the scenario names docker-runc)',
    ]);
    const containers = evaluateScenario(modeled, builtinCatalog()).filter((r) => r.platform === 'container');
    expect(containers.map((r) => r.profile)).toEqual(['podman-crun']);
  });
});
