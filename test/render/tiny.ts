// A small slice of the fixture reports for exact-output renderer tests: web-app only, its modeled
// and measured container results, and four metrics (the rest null).

import type { MetricKey, Report } from '../../src/report/types.js';

const KEEP: MetricKey[] = ['startupFirstMs', 'startupP50Ms', 'memoryPerInstanceBytes', 'maxInstances'];

/** web-app's container/model and container/docker results with only KEEP's metrics. */
export function tiny(report: Report): Report {
  const copy = structuredClone(report);
  const webApp = copy.scenarios.find((s) => s.name === 'web-app')!;
  webApp.results = webApp.results.filter((r) => r.platform === 'container');
  for (const result of webApp.results) {
    for (const key of Object.keys(result.metrics) as MetricKey[]) if (!KEEP.includes(key)) result.metrics[key] = null;
  }
  copy.scenarios = [webApp];
  return copy;
}
