// A report as people read it, built by the model from default scenarios: three scenarios, a sweep
// of instances over small-web-app, and (fixture data, until the model fills it) a per-instance
// timeline on the microservices container result. For the HTML tests and the README screenshot.

import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { buildReport, scenarioReport } from '../../src/report/build.js';
import type { InstanceTimeline, Report } from '../../src/report/types.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { loadSweptScenarios } from '../../src/sweep/load.js';

const ENVIRONMENT = { node: 'v20.19.0', os: 'linux', arch: 'x64', kernel: '6.1.0', cpus: 2, memoryBytes: 24 * 1024 ** 3, engines: {} };

/** 6 instances of two services, 3 at once: the second wave starts when the first is ready. */
export function fixtureTimeline(): InstanceTimeline[] {
  // Each instance: create 0-150 ms (the serialised 20 ms queue in front), start 150-600, app 600-900
  // after its request; wave 2 is requested at 900 ms, when wave 1 is ready.
  return Array.from({ length: 6 }, (_, i) => {
    const requested = i < 3 ? 0 : 900;
    const queue = (i % 3) * 20;
    const at = (ms: number) => requested + queue + ms;
    return {
      service: i % 2 === 0 ? 'api' : 'auth',
      index: Math.floor(i / 2),
      requestedMs: requested,
      readyMs: at(900),
      phases: [
        { label: 'create (daemon)', startMs: at(0), endMs: at(150), resource: 'cpu' as const },
        { label: 'start (daemon, shim)', startMs: at(150), endMs: at(600), resource: 'cpu' as const },
        { label: 'app', startMs: at(600), endMs: at(900), resource: 'latency' as const },
      ],
    };
  });
}

/** The report: model results of three default scenarios and a four-point sweep. */
export async function peopleReport(): Promise<Report> {
  const catalog = builtinCatalog();
  const scenarios = await loadScenarios(['scenarios/small-web-app.yaml', 'scenarios/microservices.yaml', 'scenarios/ci-jobs.yaml'], catalog);
  const swept = await loadSweptScenarios(['scenarios/small-web-app.yaml'], catalog, [{ key: 'instances', values: ['1', '10', '100', '1000'] }]);
  const all = [...scenarios, ...swept.scenarios].map((scenario) => {
    const results = evaluateScenario(scenario, catalog);
    if (scenario.name === 'microservices') {
      const container = results.find((r) => r.platform === 'container');
      if (container) container.timeline = fixtureTimeline();
    }
    return scenarioReport(scenario, results);
  });
  return buildReport({
    runId: '20261201-120000-abcdef',
    createdAt: new Date('2026-12-01T12:00:00Z'),
    environment: ENVIRONMENT,
    scenarios: all,
    sweeps: swept.sweeps,
    notes: ['model profiles: built-in'],
    version: '0.1.0',
  });
}
