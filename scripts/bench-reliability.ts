// `npm run bench:reliability`: how well isobench holds up, in counts measured now (nothing hard-coded):
// 1. bad inputs tried and rejected cleanly: every bad scenario fixture (test/fixtures/bad-scenarios,
//    committed and made at run time) through `isobench bench --real docker,host`, and bad report
//    files through `isobench compare`: exit 2, the file (and field) named, no stack trace, nothing
//    written to the results folder, nothing started on any engine;
// 2. faults injected and survived, and leftovers after each: the reliability tests (test/reliability,
//    including the destructive Docker daemon stop, which restarts the daemon) run under vitest,
//    each recording its figure (exit code, time to exit and to clean, leftovers) in a log read here.
// Engines that are absent make their tests skip: the skips are listed with their reasons.
//
//   npm run bench:reliability -- [--skip-daemon-stop] [--bad-only] [--faults-only]

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { committedBadCases, generatedBadCases, type BadScenarioCase } from '../test/fixtures/bad-scenarios/cases.js';
import { containersOfPid, processesWithEnv, type Figure } from '../test/reliability/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/isobench.js');
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

const { values: flags } = parseArgs({
  options: { 'skip-daemon-stop': { type: 'boolean', default: false }, 'bad-only': { type: 'boolean', default: false }, 'faults-only': { type: 'boolean', default: false } },
});

/** One bad input and why it was (or was not) rejected cleanly. */
interface BadInputResult {
  name: string;
  clean: boolean;
  why: string[];
}

const scratch = await mkdtemp(join(tmpdir(), 'isobench-reliability-bench-'));
let failed = false;
try {
  await build();
  if (!flags['faults-only']) failed = !(await badInputs()) || failed;
  if (!flags['bad-only']) failed = !(await faults()) || failed;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

async function build(): Promise<void> {
  const run = await execa('npm', ['run', '--silent', 'build'], { cwd: ROOT, reject: false });
  if (run.exitCode !== 0) throw new Error(`npm run build failed:\n${run.stdout}${run.stderr}`);
}

// 1. Bad inputs -----------------------------------------------------------------------------------

async function badInputs(): Promise<boolean> {
  await mkdir(join(scratch, 'generated'));
  const scenarios = [...committedBadCases(), ...(await generatedBadCases(join(scratch, 'generated')))];
  const reports = await badReports();
  console.log(`bad inputs: ${scenarios.length} scenario files through \`isobench bench --real docker,host\`, ${reports.length} report files through \`isobench compare\``);
  const results: BadInputResult[] = [];
  // Two at a time: each is one Node start (~0.3 s).
  const queue = [...scenarios.map((entry) => () => tryScenario(entry)), ...reports.map((entry) => () => tryReport(entry))];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) results.push(await job());
  };
  await Promise.all([worker(), worker()]);
  const clean = results.filter((r) => r.clean);
  console.log(`  tried ${results.length}, rejected cleanly ${clean.length} (exit 2, file and field named, no stack trace, nothing written, nothing started)`);
  for (const result of results.filter((r) => !r.clean)) console.log(`  NOT CLEAN ${result.name}: ${result.why.join('; ')}`);
  return clean.length === results.length;
}

async function tryScenario(entry: BadScenarioCase): Promise<BadInputResult> {
  const dir = await mkdtemp(join(scratch, 'case-'));
  const results = join(dir, 'results');
  const tmp = join(dir, 'tmp');
  await mkdir(results);
  await mkdir(tmp);
  const child = execa('node', [BIN, 'bench', '--scenario', entry.file, '--real', 'docker,host', '--results', results], { reject: false, cwd: ROOT, env: { TMPDIR: tmp, NO_COLOR: '1' } });
  const run = await child;
  const why: string[] = [];
  const stderr = String(run.stderr);
  if (run.exitCode !== 2) why.push(`exit ${run.exitCode}, not 2`);
  if (!stderr.includes(entry.file)) why.push('file not named');
  if (entry.path !== '' && !stderr.includes(` ${entry.path}:`)) why.push(`field ${entry.path} not named`);
  if (!stderr.includes(entry.message)) why.push(`message "${entry.message}" missing`);
  if (STACK_FRAME.test(stderr)) why.push('stack trace');
  if (String(run.stdout) !== '') why.push('output on stdout');
  if ((await readdir(results)).length > 0) why.push('wrote into the results folder');
  if ((await readdir(tmp)).length > 0) why.push('left temp files');
  if ((await processesWithEnv(`TMPDIR=${tmp}`)).length > 0) why.push('left processes');
  if (child.pid !== undefined && (await containersOfPid(child.pid)).length > 0) why.push('started containers');
  return { name: entry.file.replace(`${ROOT}/`, ''), clean: why.length === 0, why };
}

/** Report files `compare` must refuse: committed fixtures of the wrong kind, and ones made here. */
async function badReports(): Promise<{ name: string; file: string; mention: string }[]> {
  const fixtures = join(ROOT, 'test/fixtures/reports');
  const dir = join(scratch, 'reports');
  await mkdir(dir);
  const made = {
    'empty.json': '',
    'binary.json': Buffer.from([0x00, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47]),
    'array.json': '[1, 2, 3]\n',
    'half.json': (await readFile(join(fixtures, 'base.json'), 'utf8')).slice(0, 500),
  };
  for (const [name, content] of Object.entries(made)) await writeFile(join(dir, name), content);
  await mkdir(join(dir, 'folder.json'));
  return [
    ...['truncated.json', 'other-schema.json', 'other-tool.json', 'wrong-shape.json'].map((name) => ({
      name: `test/fixtures/reports/${name}`,
      file: join(fixtures, name),
      mention: join(fixtures, name),
    })),
    ...[...Object.keys(made), 'folder.json', 'missing.json'].map((name) => ({ name: `(made) ${name}`, file: join(dir, name), mention: join(dir, name) })),
  ];
}

async function tryReport(entry: { name: string; file: string; mention: string }): Promise<BadInputResult> {
  const results = await mkdtemp(join(scratch, 'compare-'));
  const good = join(ROOT, 'test/fixtures/reports/base.json');
  const run = await execa('node', [BIN, 'compare', entry.file, good, '--report', 'md', '--results', results], { reject: false, cwd: ROOT, env: { NO_COLOR: '1' } });
  const why: string[] = [];
  const stderr = String(run.stderr);
  if (run.exitCode !== 2) why.push(`exit ${run.exitCode}, not 2`);
  if (!stderr.includes(entry.mention)) why.push('file not named');
  if (STACK_FRAME.test(stderr)) why.push('stack trace');
  if ((await readdir(results)).length > 0) why.push('wrote into the results folder');
  return { name: entry.name, clean: why.length === 0, why };
}

// 2. Faults ---------------------------------------------------------------------------------------

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

async function faults(): Promise<boolean> {
  const log = join(scratch, 'figures.jsonl');
  const json = join(scratch, 'vitest.json');
  const files = flags['skip-daemon-stop'] ? ['--project', 'main'] : [];
  console.log(`faults: running the reliability tests (test/reliability${flags['skip-daemon-stop'] ? ', without the Docker daemon stop' : ', including a Docker daemon stop and restart'})`);
  const run = await execa('npx', ['vitest', 'run', 'test/reliability', ...files, '--reporter=json', `--outputFile=${json}`], {
    cwd: ROOT,
    reject: false,
    env: { ISOBENCH_RELIABILITY_LOG: log },
    all: true,
  });
  if (!existsSync(json)) {
    console.log(String(run.all));
    throw new Error(`vitest wrote no results (exit ${run.exitCode})`);
  }
  const outcome = JSON.parse(await readFile(json, 'utf8')) as VitestJson;
  const figures = existsSync(log)
    ? (await readFile(log, 'utf8'))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Figure)
    : [];
  const injected = figures.filter((f): f is Extract<Figure, { kind: 'fault' }> => f.kind === 'fault');
  const hostile = figures.filter((f): f is Extract<Figure, { kind: 'bad-input' }> => f.kind === 'bad-input');
  const survived = injected.filter((f) => f.survived);
  const leftovers = injected.reduce((sum, f) => sum + f.leftovers, 0);
  console.log(`  injected ${injected.length}, survived ${survived.length}; leftovers found after them: ${leftovers}`);
  for (const f of injected) {
    const timing = [f.exitMs === undefined ? '' : `exit after ${seconds(f.exitMs)}`, f.cleanMs === undefined ? '' : `clean after ${seconds(f.cleanMs)}`].filter(Boolean).join(', ');
    console.log(`  ${f.survived ? 'ok  ' : 'FAIL'} ${f.name}: exit ${f.exitCode ?? '-'}${timing ? `, ${timing}` : ''}, ${f.leftovers} left`);
  }
  console.log(`  hostile scenario values refused by validation: ${hostile.filter((f) => f.rejected).length} of ${hostile.length}`);
  const skipped = outcome.testResults.flatMap((file) => file.assertionResults.filter((t) => t.status === 'pending' || t.status === 'skipped').map((t) => t.fullName));
  const failedTests = outcome.testResults.flatMap((file) => file.assertionResults.filter((t) => t.status === 'failed').map((t) => `${t.fullName}: ${t.failureMessages[0]?.split('\n')[0] ?? ''}`));
  console.log(`  tests: ${outcome.numPassedTests} passed, ${outcome.numFailedTests} failed, ${outcome.numPendingTests} skipped`);
  for (const name of skipped) console.log(`  skipped: ${name}`);
  for (const line of String(run.all)
    .split('\n')
    .filter((l) => l.includes('[skip]')))
    console.log(`  ${line.trim()}`);
  for (const line of failedTests) console.log(`  failed: ${line}`);
  return outcome.numFailedTests === 0 && survived.length === injected.length && leftovers === 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
