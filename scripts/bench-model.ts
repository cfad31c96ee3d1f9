// `npm run bench:model`: how fast the model is. Times evaluateScenario per default scenario and for
// the whole default set (tinybench), one scenario at 100 and at 100,000 instances, and `isobench
// bench` end to end against Node's own start. Prints each goal and whether it was met.
// A benchmark, not a test: numbers depend on the machine; nothing here fails a build.
// It times the model as it ships: the compiled dist/ the CLI runs (`npm run bench:model` builds it
// first), not src/ through tsx's on-the-fly transform, which runs the simulator about 3x slower.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { Scenario } from '../src/scenario/types.js';
import { exitOnKnownErrors } from './lib/known-errors.js';

exitOnKnownErrors('bench:model');

/** A module of the built model (dist/), typed as its source. */
async function shipped<T>(path: string): Promise<T> {
  const file = join(process.cwd(), 'dist', path);
  if (!existsSync(file)) throw new Error(`bench:model times the built model: ${file} is missing (run \`npm run build\`)`);
  return (await import(pathToFileURL(file).href)) as T;
}
const { evaluateScenario } = await shipped<typeof import('../src/model/evaluate.js')>('model/evaluate.js');
const { builtinCatalog } = await shipped<typeof import('../src/profiles/catalog.js')>('profiles/catalog.js');
const { findScenarioFiles, loadScenarios } = await shipped<typeof import('../src/scenario/load.js')>('scenario/load.js');

const GROWTH_SCENARIO = 'density';
const SMALL_N = 100;
const MID_N = 1_000;
const LARGE_N = 100_000;

const catalog = builtinCatalog();
const scenarios = await loadScenarios(await findScenarioFiles('scenarios'), catalog);
console.log(`isobench model speed: ${scenarios.length} default scenarios, Node ${process.version}, ${availableParallelism()} x ${cpus()[0]?.model ?? 'cpu'}\n`);

// 1. Per scenario and the whole set.
const bench = new Bench({ time: 300, warmupTime: 50 });
for (const scenario of scenarios) bench.add(scenario.name, () => void evaluateScenario(scenario, catalog));
bench.add('whole default set', () => {
  for (const scenario of scenarios) evaluateScenario(scenario, catalog);
});
await bench.run();
const rows = bench.tasks.map((task) => {
  const r = task.result;
  if (r.state !== 'completed') return { name: task.name, mean: NaN, p99: NaN, rme: NaN, samples: 0 };
  return { name: task.name, mean: r.latency.mean, p99: r.latency.p99, rme: r.latency.rme, samples: r.latency.samplesCount };
});
console.log('evaluateScenario, per call (tinybench):');
console.log(`  ${'scenario'.padEnd(24)} ${'mean'.padStart(10)} ${'p99'.padStart(10)} ${'±rme'.padStart(8)} ${'samples'.padStart(8)}`);
for (const row of rows) {
  console.log(`  ${row.name.padEnd(24)} ${ms(row.mean).padStart(10)} ${ms(row.p99).padStart(10)} ${`${row.rme.toFixed(1)}%`.padStart(8)} ${String(row.samples).padStart(8)}`);
}
const wholeSetMs = rows.find((row) => row.name === 'whole default set')?.mean ?? NaN;

// 2. Growth: the same scenario at 100 and 100,000 instances, all started at once.
const base = scenarios.find((s) => s.name === GROWTH_SCENARIO) ?? scenarios[0];
if (base === undefined) throw new Error('no default scenarios found in scenarios/');
const growth = new Bench({ time: 500, warmupTime: 50 });
const small = withInstances(base, SMALL_N);
const mid = withInstances(base, MID_N);
const large = withInstances(base, LARGE_N);
growth.add(`${SMALL_N} instances`, () => void evaluateScenario(small, catalog));
growth.add(`${MID_N} instances`, () => void evaluateScenario(mid, catalog));
growth.add(`${LARGE_N} instances`, () => void evaluateScenario(large, catalog));
await growth.run();
const [smallMs, midMs, largeMs] = growth.tasks.map((task) => (task.result.state === 'completed' ? task.result.latency.mean : NaN)) as [number, number, number];
const ratio = largeMs / smallMs;
const midRatio = largeMs / midMs;
const nLogNBound = (LARGE_N * Math.log(LARGE_N)) / (SMALL_N * Math.log(SMALL_N));
console.log(`\ngrowth (${base.name}, ${base.services.length} service(s), concurrency = instances):`);
console.log(`  ${SMALL_N} instances: ${ms(smallMs)}   ${LARGE_N.toLocaleString('en-US')} instances: ${ms(largeMs)}   ratio ${ratio.toFixed(1)}x`);
console.log(`  (linear would be ${LARGE_N / SMALL_N}x, n log n ${nLogNBound.toFixed(0)}x)`);
console.log(`  ${MID_N.toLocaleString('en-US')} instances: ${ms(midMs)}   1,000 -> 100,000: ${midRatio.toFixed(1)}x (linear would be ${LARGE_N / MID_N}x)`);

// 3. End to end: `node bin/isobench.js bench` (the built CLI) against `node -e 0`.
const endToEnd = measureEndToEnd();

console.log('\ngoals:');
goal('whole default set, model only', wholeSetMs, 'about 1 s beyond Node start', wholeSetMs < 1000);
goal(`${LARGE_N.toLocaleString('en-US')} instances`, largeMs, '< 200 ms', largeMs < 200);
console.log(`  ${ratio <= nLogNBound ? 'met    ' : 'NOT MET'}  growth 100 -> 100,000: ${ratio.toFixed(1)}x (goal: no worse than n log n = ${nLogNBound.toFixed(0)}x)`);
if (endToEnd) {
  goal('`isobench bench` end to end, beyond Node start', endToEnd.beyondMs, 'about 1 s', endToEnd.beyondMs <= 1000);
  console.log(`           (median of ${endToEnd.runs}: isobench bench ${ms(endToEnd.benchMs)}, node -e 0 ${ms(endToEnd.nodeMs)})`);
}

/** The scenario with `n` instances spread over its services in proportion, all started at once. */
function withInstances(scenario: Scenario, n: number): Scenario {
  const total = scenario.totalInstances;
  const counts = scenario.services.map((s) => Math.max(1, Math.round((s.instances * n) / total)));
  counts[0] = (counts[0] ?? 0) + n - counts.reduce((a, b) => a + b, 0);
  const services = scenario.services.map((s, i) => ({ ...s, instances: counts[i] ?? 1 }));
  return { ...scenario, services, totalInstances: n, concurrency: n };
}

function measureEndToEnd(): { benchMs: number; nodeMs: number; beyondMs: number; runs: number } | undefined {
  if (!existsSync('dist/cli/main.js')) {
    console.log('\nend to end: skipped, dist/ is not built (run `npm run build`)');
    return undefined;
  }
  const runs = 5;
  const results = mkdtempSync(join(tmpdir(), 'isobench-bench-model-'));
  try {
    const time = (args: string[]): number => {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const benchMs = median(Array.from({ length: runs }, () => time(['bin/isobench.js', 'bench', '--results', results])));
    const nodeMs = median(Array.from({ length: runs }, () => time(['-e', '0'])));
    console.log(`\nend to end (median of ${runs}, model only, default scenarios, table to /dev/null):`);
    console.log(`  node bin/isobench.js bench: ${ms(benchMs)}   node -e 0: ${ms(nodeMs)}   difference: ${ms(benchMs - nodeMs)}`);
    return { benchMs, nodeMs, beyondMs: benchMs - nodeMs, runs };
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}

function goal(what: string, valueMs: number, target: string, met: boolean): void {
  console.log(`  ${met ? 'met    ' : 'NOT MET'}  ${what}: ${ms(valueMs)} (goal: ${target})`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}
