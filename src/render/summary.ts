// The closing overview of a run: VM / container ratios per scenario and, when measurements exist,
// the model's error on the headline figures. Views only; table.ts and markdown.ts lay them out.

import { formatCount, formatPercent } from '../units/format.js';
import type { MetricKey, ScenarioReport } from '../report/types.js';
import { formatMetric, formatRatio, measuredPairs, modelError, resultLabel, writtenModelResults, type TableView } from '../report/view.js';

/** Per scenario: VM / container ratios of the headline totals, and max instances per platform. */
export function summaryTable(scenarios: ScenarioReport[]): TableView {
  const head = ['scenario', 'instances', 'startup all: vm/ctr', 'memory: vm/ctr', 'disk: vm/ctr', 'max instances p/c/vm'];
  const rows = scenarios.map((scenario) => {
    const results = writtenModelResults(scenario);
    const by = (platform: string) => results.find((r) => r.platform === platform);
    const ratio = (key: MetricKey) => formatRatio(by('vm')?.metrics[key], by('container')?.metrics[key]);
    const max = ['process', 'container', 'vm'].map((p) => formatMetric('maxInstances', by(p)?.metrics.maxInstances ?? null));
    return [scenario.name, formatCount(scenario.totalInstances), ratio('startupAllMs'), ratio('memoryTotalBytes'), ratio('diskTotalBytes'), max.join(' / ')];
  });
  return { head, rows };
}

/** Per measurement: the model's error on the headline figures (when any measured result exists). */
export function fidelityTable(scenarios: ScenarioReport[]): TableView | undefined {
  const keys: MetricKey[] = ['startupAllMs', 'memoryTotalBytes', 'diskTotalBytes'];
  const rows = scenarios.flatMap((scenario) =>
    measuredPairs(scenario).map(({ measured, model }) => [
      scenario.name,
      resultLabel(measured),
      ...keys.map((key) => {
        const error = modelError(model?.metrics[key] ?? null, measured.metrics[key]);
        return error === null ? 'n/a' : formatPercent(error);
      }),
    ]),
  );
  if (rows.length === 0) return undefined;
  return { head: ['scenario', 'measured', 'startup all: error', 'memory total: error', 'disk total: error'], rows };
}
