import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare.js';
import { renderComparisonMarkdown } from '../../src/render/comparison-markdown.js';
import { baseReport, modelOnlyReport, otherEngineReport, regressedReport } from '../fixtures/reports/build.js';
import { tiny } from './tiny.js';

describe('renderComparisonMarkdown', () => {
  it('headline, changed figures first, unchanged ones folded', () => {
    // Rows and verdicts as computed in test/compare/compare.test.ts: 750 → 900 ms is +20.0%;
    // docker p50 860 → 1100 ms is +27.9% with p = 2/252 = 0.0079; memory 109 → 125 MiB (+14.7%)
    // with 3 vs 3 samples, p = 0.10.
    const comparison = compareReports(tiny(baseReport()), tiny(regressedReport()), undefined, { base: 'base.json', new: 'new.json' });
    expect(renderComparisonMarkdown(comparison)).toBe(`## isobench comparison

**1 scenario, 2 regressions, 0 improvements** (5 unchanged, 0 added, 0 removed)

Base \`base-run\` (base.json) → new \`new-run\` (new.json). A measured change counts when p < 0.01 and it is at least its minimum effect (10%); a modeled change counts when it is at least its minimum effect (settings: defaults).

Environment: Same environment for every measured figure.

### web-app: 2 regressions, 0 improvements

| metric | platform | base | new | change | verdict | decided by |
|---|---|---:|---:|---:|---|---|
| startupFirstMs | container · model | 750 ms | 900 ms | +20.0% | **regression** | modeled (deterministic) |
| startupFirstMs | container · docker | 820 ms | 821 ms | +0.1% | unchanged | exact permutation test (U), p=0.69; not below 0.01 |
| startupP50Ms | container · docker | 860 ms | 1.10 s | +27.9% | **regression** | exact permutation test (U), p=0.0079 |
| memoryPerInstanceBytes | container · docker | 109 MiB | 125 MiB | +14.7% | unchanged | exact permutation test (U), p=0.10; not below 0.01; 3 vs 3 samples can never reach p&lt;0.01 |

<details><summary>3 unchanged figures</summary>

| metric | platform | base | new | change | verdict | decided by |
|---|---|---:|---:|---:|---|---|
| startupP50Ms | container · model | 800 ms | 800 ms | 0.0% | unchanged | modeled (deterministic) |
| memoryPerInstanceBytes | container · model | 105 MiB | 105 MiB | 0.0% | unchanged | modeled (deterministic) |
| maxInstances | container · model | 290 | 290 | 0.0% | unchanged | modeled (deterministic) |

</details>
`);
  });

  it('lists environment differences and whether they block', () => {
    const text = renderComparisonMarkdown(compareReports(tiny(baseReport()), tiny(otherEngineReport())));
    expect(text).toContain(`Environment: Measured figures from different environments are not comparable: the comparison is refused unless --allow-env-change.

| field | base | new | blocks |
|---|---|---|---|
| environment.engines.docker.apiVersion | 1.41 | 1.43 | yes |
| environment.engines.docker.version | 20.10.24 | 24.0.7 | yes |
| scenarios[web-app].results[container/docker].provenance.engineVersion | 20.10.24 | 24.0.7 | yes |
`);
  });

  it('says why machine differences do not block model-only comparisons', () => {
    const text = renderComparisonMarkdown(compareReports(modelOnlyReport('6.1', 2, 'a'), modelOnlyReport('6.8', 4, 'b')));
    expect(text).toContain('a modeled figure does not depend on the machine that computed it');
    expect(text).toContain('| environment.cpus | 2 | 4 | no |');
  });

  it('names added scenarios, notes and input changes, and escapes table cells', () => {
    const next = tiny(regressedReport());
    next.scenarios[0]!.results[0]!.profile = 'cr|un';
    next.scenarios[0]!.host = { ...next.scenarios[0]!.host, preset: '<b>big</b>' };
    next.scenarios.push({ ...next.scenarios[0]!, name: 'extra', results: [] });
    const text = renderComparisonMarkdown(compareReports(tiny(baseReport()), next));
    expect(text).toContain('- container · model: profile docker-runc → cr\\|un\n');
    expect(text).toContain('Scenario inputs changed: host.preset server → &lt;b&gt;big&lt;/b&gt;.');
    expect(text).toContain('### extra (new scenario): 0 regressions, 0 improvements\n\nNo figure changed.\n');
  });

  it('shows per-metric minimum effects from the config', () => {
    const comparison = compareReports(tiny(baseReport()), tiny(regressedReport()));
    comparison.config = { ...comparison.config, minEffect: { ...comparison.config.minEffect, startupP99Ms: 0.2 }, source: 'isobench.config.json' };
    expect(renderComparisonMarkdown(comparison)).toContain('minimum effect (10%; startupP99Ms 20%); a modeled change counts when it is at least its minimum effect (settings: isobench.config.json).');
  });
});
