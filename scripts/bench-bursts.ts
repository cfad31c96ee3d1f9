// `npm run bench:bursts`: does the model's startup under concurrency hold on this machine? Bursts of
// 1, 4 and 16 tiny instances requested at once (test/fixtures/model-check/tiny-burst-*.yaml), run for
// real on each backend and modeled as run with a calibrated profile (calibrated just before, unless
// --profile), compared on first ready (goal 35%), p50 and all ready (goal 25%). Prints figures; it
// fails nothing (exit 0 whatever the verdicts, as every bench:* script).
//
//   npm run bench:bursts -- [--backends docker,host] [--profile FILE] [--save-profile FILE] [--repetitions 10]

import { parseArgs } from 'node:util';
import { currentEnvironment, thisMachineHost } from '../src/report/environment.js';
import type { MetricKey } from '../src/report/types.js';
import { scenarioAsRun } from '../src/scenario/as-run.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { runController } from '../src/backends/shared/abort.js';
import { exitOnKnownErrors } from './lib/known-errors.js';
import { backendNames, catalogFor, measureWithModel, realBackends } from './lib/measure.js';

exitOnKnownErrors('bench:bursts');

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'docker,host' },
    profile: { type: 'string' },
    'save-profile': { type: 'string' },
    repetitions: { type: 'string', default: '10' },
  },
});

/** The bursts and the goals they are held to: first ready 35%, p50 and all ready 25%. */
const BURSTS = [1, 4, 16];
const FIGURES: { key: MetricKey; label: string; goal: number }[] = [
  { key: 'startupFirstMs', label: 'first', goal: 0.35 },
  { key: 'startupP50Ms', label: 'p50', goal: 0.25 },
  { key: 'startupAllMs', label: 'all', goal: 0.25 },
];

const controller = runController();
process.once('SIGINT', () => controller.abort('SIGINT'));
process.once('SIGTERM', () => controller.abort('SIGTERM'));

const names = backendNames(values.backends);
const catalog = await catalogFor('bursts', names, controller.signal, values.profile, values['save-profile']);
const backends = await realBackends(names);
const environment = currentEnvironment();
const lines: string[] = [];
let met = 0;
let judged = 0;
for (const backend of backends) {
  for (const n of BURSTS) {
    const file = `test/fixtures/model-check/tiny-burst-${n}.yaml`;
    const scenario = await loadScenarioFile(file, catalog);
    const run = scenarioAsRun(scenario, { scale: 1, maxInstances: n, host: thisMachineHost(scenario.host, environment) }).scenario;
    console.error(`bursts: ${n} at once on ${backend.name}`);
    const ran = await measureWithModel('bursts', backend, run, catalog, { scale: 1, maxInstances: n, repetitions: Number(values.repetitions), warmup: 1, signal: controller.signal });
    if (ran === null) continue;
    for (const { key, label, goal } of FIGURES) {
      const model = ran.model.metrics[key];
      const measured = ran.measured.metrics[key];
      if (model == null || measured == null || measured <= 0) {
        lines.push([backend.name, n, label, model ?? '-', measured ?? 'not measured', '-', '-'].join('\t'));
        continue;
      }
      const error = model / measured - 1;
      const ok = Math.abs(error) <= goal;
      judged += 1;
      if (ok) met += 1;
      lines.push([backend.name, n, label, `${model.toFixed(1)} ms`, `${measured.toFixed(1)} ms`, `${(error * 100).toFixed(1)}%`, `${goal * 100}% ${ok ? 'ok' : 'MISS'}`].join('\t'));
    }
    const cpu = ran.measured.notes?.find((note) => note.startsWith('cpu per instance'));
    if (cpu !== undefined) console.error(`  ${cpu}`);
  }
}

console.log(`Startup of tiny bursts on this machine (${environment.cpus} cpus), model as run with profile ${catalog.source}, ${values.repetitions} measured batches each`);
console.log(['backend', 'instances', 'figure', 'model', 'measured', 'error', 'goal'].join('\t'));
for (const line of lines) console.log(line);
console.log(`\n${met}/${judged} figures within their goal`);
