// `isobench bench`: validate every input, evaluate the model, optionally measure on real engines,
// then write results/report.{json,md} atomically and print the table (or JSON) on stdout.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RealBackend } from '../backends/types.js';
import { compareCommand, comparisonFiles } from './compare-command.js';
import { InterruptedError, messageOf } from '../errors.js';
import { loadCompareConfig } from '../compare/config.js';
import { loadReport } from '../compare/load-report.js';
import { evaluateScenario } from '../model/evaluate.js';
import { builtinCatalog } from '../profiles/catalog.js';
import { loadHostProfile } from '../profiles/profile-file.js';
import type { ProfileCatalog } from '../profiles/types.js';
import { renderFiles, renderJson, renderTable } from '../render/index.js';
import { buildReport, newRunId, scenarioReport } from '../report/build.js';
import { currentEnvironment } from '../report/environment.js';
import type { Environment, Report } from '../report/types.js';
import { ensureWritableDir, writeFilesAtomic, type OutputFile } from '../report/write.js';
import { findScenarioFiles } from '../scenario/load.js';
import { loadSweptScenarios } from '../sweep/load.js';
import { terminalWidth } from '../render/width.js';
import { defaultResultsDir } from './results-dir.js';
import { loadBackend } from '../backends/list.js';
import type { BenchOptions } from './bench-options.js';
import type { CliIo } from './io.js';
import { runReal, type RealRunOutcome } from './real-run.js';
import { EXIT } from './exit-codes.js';
import { exitIfStuck, watchInterrupts } from './signals.js';

/** Runs the bench command; returns the exit code or throws a known error for main's catch. */
export async function runBench(options: BenchOptions, io: CliIo): Promise<number> {
  const say = (line: string): void => io.err(`${line}\n`);
  // 1. Every input, before anything is started or written.
  const catalog = await loadCatalog(options.profileFile);
  const files = options.scenarioFiles.length > 0 ? options.scenarioFiles : await defaultScenarioFiles();
  const { scenarios, sweeps } = await loadSweptScenarios(files, catalog, options.sweeps);
  const resultsDir = options.resultsDir ?? defaultResultsDir(files);
  if (options.compareBase !== undefined) await loadReport(options.compareBase);
  if (options.configFile !== undefined) await loadCompareConfig(options.configFile);
  await ensureWritableDir(resultsDir);
  const runId = newRunId();
  const createdAt = new Date();

  // 2. Engines: probe each requested backend first (EngineError -> exit 3, nothing written).
  const backends: RealBackend[] = [];
  const engines: Environment['engines'] = {};
  for (const name of options.real) {
    const backend = await loadBackend(name);
    engines[name] = await backend.probe();
    backends.push(backend);
  }
  const environment = currentEnvironment(engines);

  // 3. The model, on every scenario as written.
  const modeled = new Map(scenarios.map((scenario) => [scenario.name, evaluateScenario(scenario, catalog)]));

  // 4. Measurements, when asked for.
  let outcome: RealRunOutcome | undefined;
  if (backends.length > 0) {
    const watch = watchInterrupts(say, `leftovers labelled isobench.run=${runId} are reaped by the next run`);
    try {
      outcome = await runReal({ runId, scenarios, backends, catalog, environment, options, signal: watch.signal, progress: say });
    } finally {
      watch.dispose();
    }
  }

  // 5. The report: whole, or partial when the real phase stopped early.
  const notes = reportNotes(options, catalog, outcome);
  const report = buildReport({
    runId,
    createdAt,
    environment,
    partial: outcome?.stopped !== undefined,
    notes,
    sweeps,
    scenarios: scenarios.map((scenario) => scenarioReport(scenario, [...(modeled.get(scenario.name) ?? []), ...(outcome?.results.get(scenario.name) ?? [])])),
  });
  if (outcome?.stopped) {
    const written = await writeReport(report, resultsDir, 'report.partial');
    say(`partial report written to ${written.join(' and ')}; the last complete report was left as it was`);
    const error = outcome.stopped.error;
    // The user asked the process to stop: make sure it does, whatever an engine left open.
    if (error instanceof InterruptedError) exitIfStuck(error.signal === 'SIGINT' ? EXIT.interruptedInt : EXIT.interruptedTerm);
    throw error;
  }
  // With --compare, the comparison writes html/csv/gab itself (they then include it).
  const extra = options.compareBase === undefined ? comparisonFiles(report, undefined, options.reportFormats, resultsDir, 'report') : [];
  const written = await writeReport(report, resultsDir, 'report', extra);
  io.out(
    options.json ? renderJson(report) : renderTable(report, { explain: options.explain, ...(options.explainOnly === undefined ? {} : { explainOnly: options.explainOnly }), width: terminalWidth() }),
  );
  say(`results: ${written.join(', ')}`); // one line, whatever its width: paths to copy or grep
  if (options.compareBase === undefined) return EXIT.ok;
  return compareCommand({
    base: options.compareBase,
    next: { report, file: join(resultsDir, 'report.json') },
    failOn: options.failOn,
    allowEnvChange: options.allowEnvChange,
    ...(options.configFile === undefined ? {} : { config: options.configFile }),
    reports: options.reportFormats,
    outDir: resultsDir,
    stem: 'report',
    print: !options.json,
    io,
  });
}

async function loadCatalog(profileFile: string | undefined): Promise<ProfileCatalog> {
  const builtin = builtinCatalog();
  return profileFile === undefined ? builtin : loadHostProfile(profileFile, builtin);
}

/** scenarios/*.yaml in the current folder, else the ones shipped with isobench. */
async function defaultScenarioFiles(): Promise<string[]> {
  if (existsSync('scenarios')) return findScenarioFiles('scenarios');
  return findScenarioFiles(fileURLToPath(new URL('../../scenarios', import.meta.url)));
}

/** Writes NAME.json, NAME.md and any extra files together; returns their paths. */
async function writeReport(report: Report, dir: string, name: string, extra: OutputFile[] = []): Promise<string[]> {
  const files = [...renderFiles(report, ['json', 'md'], { dir, stem: name }), ...extra];
  await writeFilesAtomic(files);
  return files.map((file) => file.path);
}

function reportNotes(options: BenchOptions, catalog: ProfileCatalog, outcome: RealRunOutcome | undefined): string[] {
  const notes = [`model profiles: ${catalog.source}`];
  if (outcome === undefined) return notes;
  notes.push(
    `real backends: ${options.real.join(', ')}; scale ${options.realScale}, at most ${options.realMaxInstances} instances, ` +
      `${options.warmup} warm-up and ${options.repetitions} measured repetitions`,
  );
  if (outcome.stopped) {
    notes.push(`stopped during ${outcome.stopped.during}: ${messageOf(outcome.stopped.error)}`);
    notes.push(outcome.completed.length === 0 ? 'completed: no real run' : `completed: ${outcome.completed.join(', ')}`);
    notes.push('model results for every scenario as written are complete');
  }
  for (const failure of outcome.cleanupFailures) notes.push(`cleanup failed: ${failure}`);
  return notes;
}
