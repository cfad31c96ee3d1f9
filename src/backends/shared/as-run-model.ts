// The part of "model what ran" every real backend shares: images (and the host install, and the
// QEMU base image) are built or pulled before anything is timed, so what ran had a warm cache.

import type { Scenario } from '../../scenario/types.js';
import type { ModeledAsRun } from '../types.js';

/** The scenario with cache: warm, and a note when the scenario said cold. */
export function warmCache(scenario: Scenario): ModeledAsRun {
  if (scenario.cache === 'warm') return { scenario, notes: [] };
  return {
    scenario: { ...scenario, cache: 'warm' },
    notes: ['modeled with cache: warm, as measured: images are built or pulled before any start is timed (the scenario says cold)'],
  };
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
