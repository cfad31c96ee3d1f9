// How a result is matched between two reports and named in output: platform and backend, plus
// "as run" for a model result evaluated on the scenario as a real backend ran it (a second model
// result of the same platform, see PlatformResult.asRun).

import type { PlatformResult } from '../report/types.js';

type Keyed = Pick<PlatformResult, 'platform' | 'backend' | 'asRun'>;

/** "container/docker", "container/model", "container/model-as-run": unique within a scenario. */
export function resultKey(result: Keyed): string {
  return `${result.platform}/${result.backend}${result.asRun === undefined ? '' : '-as-run'}`;
}

/** "container · docker", "container · model as run": how tables and charts name a result. */
export function resultName(result: Keyed): string {
  return `${result.platform} · ${result.backend}${result.asRun === undefined ? '' : ' as run'}`;
}
