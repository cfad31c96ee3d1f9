// The sweep's line charts in the HTML: one per metric, a line per platform, break-evens marked.

import { describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../../src/report/types.js';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { buildReport, scenarioReport } from '../../src/report/build.js';
import { renderHtml } from '../../src/render/html.js';
import { loadSweptScenarios } from '../../src/sweep/load.js';

const catalog = builtinCatalog();
const environment = { node: 'v20', os: 'linux', arch: 'x64', kernel: '6', cpus: 2, memoryBytes: 2 ** 34, engines: {} };

async function sweptHtml(file: string, key: string, values: string[]): Promise<string> {
  const { scenarios, sweeps } = await loadSweptScenarios([file], catalog, [{ key, values }]);
  const report = buildReport({ runId: 'r', createdAt: new Date(0), environment, sweeps, version: '0.1.0', scenarios: scenarios.map((s) => scenarioReport(s, evaluateScenario(s, catalog))) });
  return renderHtml(report);
}

describe('sweep charts', () => {
  it('a chart per metric with a line per platform', async () => {
    const html = await sweptHtml('scenarios/small-web-app.yaml', 'instances', ['1', '10', '100', '1000']);
    // One chart per metric (13 with hostsNeeded and memoryUniqueBytes); 3 platforms each; 4 points on each line.
    expect(METRIC_KEYS).toHaveLength(13);
    expect(html.match(/<svg class="chart sweep"/g)).toHaveLength(13);
    expect(html.match(/<polyline class="line"/g)).toHaveLength(13 * 3);
    expect(html.match(/<circle class="point"/g)).toHaveLength(13 * 3 * 4);
  });
  it('marks where two platforms cross: density, where 500 containers queue on the daemon and VMs do not', async () => {
    // density, all ready: 1 instance: container 154 ms < vm 980 ms; 500: container 16,050 ms (the
    // daemon's serialised sections, one start at a time) > vm 7,344 ms. Linear between the points the
    // lines meet at t = (980 - 154) / ((16050 - 154) - (7344 - 980)) = 0.0867: 154 + 0.0867 x 15896 = about 1.53 s.
    const html = await sweptHtml('scenarios/density.yaml', 'instances', ['1', '500']);
    expect(html).toContain('<g class="crossing" data-between="instances=1 and instances=500">');
    expect(html).toContain('container and vm cross between instances=1 and instances=500 (startup: all ready, about 1.53 s)');
  });
});
