// The sweep's line charts in the HTML: one per metric, a line per platform, break-evens marked.

import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { buildReport, scenarioReport } from '../../src/report/build.js';
import { renderHtml } from '../../src/render/html.js';
import { loadSweptScenarios } from '../../src/sweep/load.js';

const catalog = builtinCatalog();
const environment = { node: 'v20', os: 'linux', arch: 'x64', kernel: '6', cpus: 2, memoryBytes: 2 ** 34, engines: {} };

async function sweptHtml(file: string, key: string, values: string[]): Promise<string> {
  const { scenarios, sweeps } = await loadSweptScenarios([file], catalog, [{ key, values }]);
  const report = buildReport({ runId: 'r', createdAt: new Date(0), environment, sweeps, version: '0.1.0',
    scenarios: scenarios.map((s) => scenarioReport(s, evaluateScenario(s, catalog))) });
  return renderHtml(report);
}

describe('sweep charts', () => {
  it('a chart per metric with a line per platform', async () => {
    const html = await sweptHtml('scenarios/small-web-app.yaml', 'instances', ['1', '10', '100', '1000']);
    // 11 metrics; 3 platforms each; 4 points on each line.
    expect(html.match(/<svg class="chart sweep"/g)).toHaveLength(11);
    expect(html.match(/<polyline class="line"/g)).toHaveLength(33);
    expect(html.match(/<circle class="point"/g)).toHaveLength(33 * 4);
  });
  it('marks where two platforms cross: density, where KSM-merged VM memory overtakes the daemon', async () => {
    // density at 1 VM: nothing to merge, shared memory 16.0 MiB < the container daemon's 81.4 MiB;
    // from 5 VMs the merged pages are shared: 96.5 MiB > 81.4 MiB, so the lines cross between 1 and 5.
    const html = await sweptHtml('scenarios/density.yaml', 'instances', ['1', '5']);
    expect(html).toContain('<g class="crossing" data-between="instances=1 and instances=5">');
    expect(html).toContain('container and vm cross between instances=1 and instances=5 (memory: shared');
  });
});
