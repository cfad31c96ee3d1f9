// A scenario that compares container runtimes (`container: { runtime: [a, b] }`) is the same
// scenario once per runtime, every service on it: the model evaluates, and a real backend measures,
// each of these on its own. Pure.

import type { Scenario } from '../scenario/types.js';

/** One runtime of a comparison: its name (undefined when the scenario compares none) and the scenario on it. */
export interface RuntimeVariant {
  runtime: string | undefined;
  scenario: Scenario;
}

/** One variant per compared runtime, in the order listed; the scenario itself when it compares none. */
export function runtimeVariants(scenario: Scenario): RuntimeVariant[] {
  if (scenario.runtimes === undefined || scenario.runtimes.length < 2) return [{ runtime: undefined, scenario }];
  return scenario.runtimes.map((runtime) => ({ runtime, scenario: onRuntime(scenario, runtime) }));
}

/** The scenario with every service on `runtime` and no comparison left. */
export function onRuntime(scenario: Scenario, runtime: string): Scenario {
  const { runtimes: _compared, ...single } = scenario;
  return { ...single, services: scenario.services.map((service) => ({ ...service, container: { ...service.container, runtime } })) };
}
