// `npm run bench:fidelity`: is the model right on this machine? For each scenario, at a small real
// scale and cap, run it for real (docker, host, qemu) and evaluate the model on what ran (each
// backend's modelAsRun: its runtime or accelerator, warm cache) with this machine as host and a
// calibrated profile; print the model's error per metric against the goals (startup 25%, memory
// 20%, disk 5%; disk 10% for QEMU) and, where a goal is missed, which part of the model disagrees.
// Two sets, reported apart per backend: in-sample (scenarios/*.yaml, the set the presets were
// checked on) and held-out (scenarios/fidelity/*.yaml, written before any fitting). A measured 0
// against a non-zero model is a miss; a metric the backend could not measure is counted as such.
// QEMU runs at most 2 guests, 2 repetitions.
//
//   npm run bench:fidelity -- [--profile FILE] [--scale 0.05] [--max-instances 6] [--repetitions 3]
//                             [--backends docker,host,qemu] [--scenario FILE ...]

import { parseArgs } from 'node:util';
import { currentEnvironment, thisMachineHost } from '../src/report/environment.js';
import { formatItem, formatMetric } from '../src/report/view.js';
import type { BreakdownItem, MetricKey, PlatformResult } from '../src/report/types.js';
import { family, GOALS, fidelityRows, type FidelityRow } from '../src/compare/fidelity.js';
import { scenarioAsRun } from '../src/scenario/as-run.js';
import { findScenarioFiles, loadScenarioFile } from '../src/scenario/load.js';
import { formatBytes } from '../src/units/format.js';
import { writeFile } from 'node:fs/promises';
import { runController } from '../src/backends/shared/abort.js';
import { exitOnKnownErrors } from './lib/known-errors.js';
import { backendNames, catalogFor, measureWithModel, realBackends } from './lib/measure.js';

exitOnKnownErrors('bench:fidelity');

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    'save-profile': { type: 'string' },
    scale: { type: 'string', default: '0.05' },
    'max-instances': { type: 'string', default: '6' },
    repetitions: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    backends: { type: 'string', default: 'docker,host' },
    scenario: { type: 'string', multiple: true },
    json: { type: 'string' },
  },
});

const QEMU_MAX_INSTANCES = 2;
const QEMU_REPETITIONS = 2;

const controller = runController();
process.once('SIGINT', () => controller.abort('SIGINT'));
process.once('SIGTERM', () => controller.abort('SIGTERM'));

const names = backendNames(values.backends);
const catalog = await catalogFor('fidelity', names, controller.signal, values.profile, values['save-profile']);
const backends = await realBackends(names);
const environment = currentEnvironment();
/** In-sample: the default scenarios; held-out: scenarios/fidelity/, never fitted to. */
const sets: { file: string; set: 'in-sample' | 'held-out' }[] =
  values.scenario !== undefined
    ? values.scenario.map((file) => ({ file, set: file.includes('scenarios/fidelity/') ? 'held-out' : 'in-sample' }))
    : [
        ...(await findScenarioFiles('scenarios')).map((file) => ({ file, set: 'in-sample' as const })),
        ...(await findScenarioFiles('scenarios/fidelity')).map((file) => ({ file, set: 'held-out' as const })),
      ];
const scale = Number(values.scale);
const maxInstances = Number(values['max-instances']);
type Row = FidelityRow & { set: 'in-sample' | 'held-out'; scenario: string; backend: string };
const rows: Row[] = [];
const diagnoses: string[] = [];

for (const { file, set } of sets) {
  const scenario = await loadScenarioFile(file, catalog);
  const asRun = scenarioAsRun(scenario, { scale, maxInstances, host: thisMachineHost(scenario.host, environment) });
  for (const backend of backends) {
    // A TCG guest boots in seconds: fewer guests and repetitions keep the run within minutes.
    const slow = backend.name === 'qemu';
    const run = slow ? scenarioAsRun(asRun.scenario, { scale: 1, maxInstances: Math.min(maxInstances, QEMU_MAX_INSTANCES) }).scenario : asRun.scenario;
    const repetitions = slow ? Math.min(Number(values.repetitions), QEMU_REPETITIONS) : Number(values.repetitions);
    console.error(`fidelity: ${scenario.name} on ${backend.name} (${run.totalInstances} instances, scale ${scale}, ${repetitions} repetitions)`);
    const ran = await measureWithModel('fidelity', backend, run, catalog, { scale, maxInstances, repetitions, warmup: slow ? 0 : Number(values.warmup), signal: controller.signal });
    if (ran === null) continue;
    const { model, measured } = ran;
    for (const row of fidelityRows(model, measured)) {
      rows.push({ set, scenario: scenario.name, backend: backend.name, ...row });
      if (row.verdict === 'MISS') diagnoses.push(diagnose(scenario.name, backend.name, row.key, model, measured));
    }
  }
}

console.log(`Model fidelity on this machine (${environment.cpus} cpus, ${formatBytes(environment.memoryBytes)}), profile ${catalog.source}, scale ${scale}, at most ${maxInstances} instances`);
console.log(['set', 'scenario', 'backend', 'metric', 'model', 'measured', 'error', 'goal'].join('\t'));
const percent = (error: number | null): string => (error === null ? '-' : Number.isFinite(error) ? `${(error * 100).toFixed(1)}%` : 'measured 0');
for (const row of rows) {
  console.log(
    [
      row.set,
      row.scenario,
      row.backend,
      row.key,
      formatMetric(row.key, row.model),
      row.measured === null ? 'not measured' : formatMetric(row.key, row.measured),
      percent(row.error),
      row.goal === null ? '-' : `${row.goal * 100}% ${row.verdict}`,
    ].join('\t'),
  );
}
// Per backend, set and family: each row against its own goal; misses include measured zeros.
console.log('\nbackend\tset\tfamily\twithin goal\tmisses (of them: measured 0)\tnot measured\tworst');
for (const backendName of [...new Set(rows.map((r) => r.backend))]) {
  for (const set of ['in-sample', 'held-out'] as const) {
    for (const fam of Object.keys(GOALS) as (keyof typeof GOALS)[]) {
      const mine = rows.filter((r) => r.backend === backendName && r.set === set && family(r.key) === fam && r.goal !== null);
      if (mine.length === 0) continue;
      const judged = mine.filter((r) => r.verdict !== 'not measured');
      const met = judged.filter((r) => r.verdict === 'ok').length;
      const misses = judged.filter((r) => r.verdict === 'MISS');
      const zeros = misses.filter((r) => r.measured === 0).length;
      const worst = judged.reduce((w, r) => Math.max(w, Math.abs(r.error ?? 0)), 0);
      console.log(
        `${backendName}\t${set}\t${fam}\t${met}/${judged.length} within ${(mine[0]?.goal ?? 0) * 100}%\t${misses.length} (${zeros})\t${mine.length - judged.length}\t${Number.isFinite(worst) ? `${(worst * 100).toFixed(1)}%` : 'measured 0'}`,
      );
    }
  }
}
if (diagnoses.length > 0) {
  console.log('\nWhere the model is wrong:');
  for (const line of diagnoses) console.log(`- ${line}`);
}
if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify({ rows, diagnoses }, null, 2)}\n`);

/** Names the part of the model that disagrees: the breakdown item with the largest gap. */
function diagnose(scenario: string, backend: string, key: MetricKey, model: PlatformResult, measured: PlatformResult): string {
  const fam = family(key)!;
  const modelParts = flatten(model.breakdown[fam]);
  const measuredParts = flatten(measured.breakdown[fam]);
  const gap = `${key}: model ${formatMetric(key, model.metrics[key]!)} vs measured ${measured.metrics[key] === null ? 'not measured' : formatMetric(key, measured.metrics[key])}`;
  const modelText = modelParts.map((p) => `${p.label} ${formatItem(p)}`).join(', ');
  const measuredText = measuredParts.map((p) => `${p.label} ${formatItem(p)}`).join(', ');
  let why = `model ${fam} parts [${modelText}] vs measured [${measuredText}]`;
  if (key === 'startupAllMs' || key === 'startupP99Ms' || key === 'startupFirstMs') {
    why +=
      '; the batch figures also depend on the simulation (src/model/simulate.ts: CPUs shared by the instances in CPU phases, serialised create and start sections as a FIFO queue, app memory fill as CPU work)';
  }
  return `${scenario} / ${backend}: ${gap}; ${why}`;
}

function flatten(items: BreakdownItem[]): BreakdownItem[] {
  return items.slice(0, 8);
}
