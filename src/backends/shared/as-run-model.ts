// The part of "model what ran" every real backend shares: images (and the host install, and the
// QEMU base image) are built or pulled before anything is timed, so what ran had a warm cache; and
// a real run starts its instances as `concurrency` allows, so no arrival stream or lifetime ran; and
// a backend that runs on this machine alone runs everything on one host.

import type { Scenario } from '../../scenario/types.js';
import type { ModeledAsRun } from '../types.js';

/**
 * The scenario as every real backend runs it: warm cache, no arrivals, no lifetimes, (unless the
 * backend spreads instances over hosts itself, as Swarm does) one host, and (unless it runs the app
 * its own way, as QEMU's guest init does) the app script's own CPU for holding app.memory; a note per change.
 */
export function asMeasured(scenario: Scenario, options: { oneHost?: boolean; appScript?: boolean } = {}): ModeledAsRun {
  const { oneHost = true, appScript = true } = options;
  const notes: string[] = [];
  let modeled = scenario;
  if (oneHost && modeled.cluster !== undefined && modeled.cluster.hosts > 1) {
    const { cluster, ...single } = modeled;
    modeled = single;
    notes.push(`modeled on one host, as measured: every instance ran on this machine (the scenario asks for ${cluster.hosts} hosts)`);
  }
  if (modeled.cache !== 'warm') {
    modeled = { ...modeled, cache: 'warm' };
    notes.push('modeled with cache: warm, as measured: images are built or pulled before any start is timed (the scenario says cold)');
  }
  if (modeled.arrival != null) {
    modeled = { ...modeled, arrival: null };
    notes.push('modeled without arrivals, as measured: a real run requests its instances as concurrency allows (the scenario has one every few seconds)');
  }
  if (modeled.services.some((service) => service.app.lifetimeMs != null)) {
    modeled = { ...modeled, services: modeled.services.map((service) => ({ ...service, app: { ...service.app, lifetimeMs: null } })) };
    notes.push('modeled without lifetimes, as measured: real instances stay up until the batch is measured and removed');
  }
  // The container and host backends run the app through isobench's app script, whose own processes
  // hold app.memory (QEMU's guest init holds it its own way).
  if (appScript && modeled.services.some((service) => service.app.memoryBytes > 0 && service.app.fork === undefined)) {
    modeled = { ...modeled, services: modeled.services.map((service) => ({ ...service, app: { ...service.app, heldByScript: true } })) };
    notes.push("with the CPU of isobench's app script holding app.memory (a subshell, busybox dd, head and wc: common.appScriptHoldMs), which a real app does not spend");
  }
  return { scenario: modeled, notes };
}

/** Applies one change to every service, with a note naming what the scenario said, when anything changes. */
export function everyService(
  modeled: ModeledAsRun,
  current: (service: Scenario['services'][number]) => string,
  wanted: string,
  apply: (service: Scenario['services'][number]) => Scenario['services'][number],
  note: (changed: string) => string,
): ModeledAsRun {
  const changed = [...new Set(modeled.scenario.services.map(current).filter((value) => value !== wanted))];
  if (changed.length === 0) return modeled;
  return {
    scenario: { ...modeled.scenario, services: modeled.scenario.services.map(apply) },
    notes: [...modeled.notes, note(changed.join(', '))],
  };
}

/**
 * The container scenario as a container backend ran it: as measured (asMeasured, with `options`),
 * every service on `runtime`, with a note naming the runtimes the scenario gave (`how`: "as measured",
 * "as Swarm runs its tasks"). Pure.
 */
export function onRuntime(scenario: Scenario, runtime: string, how = 'as measured', options: Parameters<typeof asMeasured>[1] = {}): ModeledAsRun {
  const measured = asMeasured(scenario, options);
  // A comparison of runtimes (`container: { runtime: [a, b] }`) ran on one of them, or on none.
  const { runtimes: compared, ...single } = measured.scenario;
  const alone: ModeledAsRun =
    compared === undefined ? measured : { scenario: single, notes: [...measured.notes, `modeled on ${runtime} alone, ${how} (the scenario compares ${compared.join(', ')}; one runtime ran)`] };
  return everyService(
    alone,
    (s) => s.container.runtime,
    runtime,
    (s) => ({ ...s, container: { ...s.container, runtime } }),
    (changed) => `modeled with the ${runtime} profile, ${how} (the scenario names ${changed})`,
  );
}
