// How a result is matched between two reports and named in output: platform and backend, plus
// "as run" for a model result evaluated on the scenario as a real backend ran it (a second model
// result of the same platform, see PlatformResult.asRun).

import type { PlatformResult } from '../report/types.js';

type Keyed = Pick<PlatformResult, 'platform' | 'backend' | 'asRun' | 'runtime'>;

/**
 * "container/docker", "container/model", "container/model-as-run", and with a runtime comparison
 * "container[docker-runsc]/docker": unique within a scenario.
 */
export function resultKey(result: Keyed): string {
  return `${result.platform}${runtimeTag(result)}/${result.backend}${result.asRun === undefined ? '' : '-as-run'}`;
}

/** "container · docker", "container · model as run", "container[docker-runsc] · docker": how tables and charts name a result. */
export function resultName(result: Keyed): string {
  return `${result.platform}${runtimeTag(result)} · ${result.backend}${result.asRun === undefined ? '' : ' as run'}`;
}

function runtimeTag(result: Keyed): string {
  return result.runtime === undefined ? '' : `[${result.runtime}]`;
}
