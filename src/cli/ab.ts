// `isobench ab BASE HEAD`: measure two revisions of this repository on this machine, interleaved,
// and compare them (exit 1 on a significant regression of a measured figure).

import { join, resolve } from 'node:path';
import { CleanupStack } from '../backends/shared/cleanup.js';
import { compareCommand } from './compare-command.js';
import { InterruptedError, UsageError } from '../errors.js';
import { renderJson } from '../render/json.js';
import { ensureWritableDir, writeFilesAtomic } from '../report/write.js';
import { runAb } from '../ab/run.js';
import type { CliIo } from './io.js';
import { exitIfStuck, watchInterrupts } from './signals.js';
import { EXIT } from './exit-codes.js';

/** What commander hands over for `ab`. */
export interface RawAbOptions {
  scenario?: string[];
  real: string;
  rounds: string;
  realScale: string;
  realMaxInstances: string;
  results: string;
  failOn: string;
  config?: string;
  repo?: string;
}

/** Runs the A/B comparison; resolves to 0, 1 on a regression. */
export async function runAbCommand(base: string, head: string, raw: RawAbOptions, io: CliIo): Promise<number> {
  const rounds = whole('--rounds', raw.rounds, 2, 100);
  const realScale = Number(raw.realScale);
  if (!(realScale >= 0.001 && realScale <= 10)) throw new UsageError(`--real-scale must be a number from 0.001 to 10, got "${raw.realScale}"`);
  const realMaxInstances = whole('--real-max-instances', raw.realMaxInstances, 1, 200);
  const real = raw.real
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (real.length === 0) throw new UsageError('--real needs a backend, e.g. docker or host');
  if (raw.failOn !== 'regression' && raw.failOn !== 'none') throw new UsageError(`--fail-on must be "regression" or "none", got "${raw.failOn}"`);
  const scenarios = (raw.scenario ?? []).map((file) => resolve(file));
  if (scenarios.length === 0) throw new UsageError('ab needs at least one --scenario FILE (the same file is run by both revisions)');
  await ensureWritableDir(raw.results);

  const say = (line: string): void => io.err(`${line}\n`);
  const cleanup = new CleanupStack();
  const watch = watchInterrupts(say, 'temporary worktrees under the temp folder named isobench-ab-* may be left; `git worktree prune` forgets them');
  try {
    const outcome = await runAb({
      repo: resolve(raw.repo ?? process.cwd()),
      base,
      head,
      scenarios,
      real,
      rounds,
      realScale,
      realMaxInstances,
      signal: watch.signal,
      cleanup,
      progress: say,
    });
    const baseFile = join(raw.results, 'ab-base.json');
    const headFile = join(raw.results, 'ab-head.json');
    await writeFilesAtomic([
      { path: baseFile, content: renderJson(outcome.base) },
      { path: headFile, content: renderJson(outcome.head) },
    ]);
    say(`ab: ${rounds} round(s) per side; both measured on this machine in the same run, so their environment is the same by construction`);
    return await compareCommand({
      base: baseFile,
      next: { report: outcome.head, file: headFile },
      failOn: raw.failOn,
      ...(raw.config === undefined ? {} : { config: raw.config }),
      reports: ['md'],
      outDir: raw.results,
      io,
    });
  } catch (error) {
    const signal = watch.received();
    if (signal === undefined) throw error;
    exitIfStuck(signal === 'SIGINT' ? EXIT.interruptedInt : EXIT.interruptedTerm);
    throw new InterruptedError(signal);
  } finally {
    await cleanup.run();
    for (const failure of cleanup.failures) say(`ab: cleanup: ${failure}`);
    watch.dispose();
  }
}

function whole(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}
