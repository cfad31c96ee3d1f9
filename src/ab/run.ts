// `isobench ab BASE HEAD`: both revisions checked out and built side by side, the scenarios measured
// on this machine by each revision's own CLI, round after round with the order alternating, then one
// report per side (merged rounds) and the usual comparison of the two. The environment is the same
// by construction: same machine, same engine, same minutes.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { CleanupStack } from '../backends/shared/cleanup.js';
import { parseReport } from '../compare/load-report.js';
import { EngineError, InputError, UsageError } from '../errors.js';
import type { Report } from '../report/types.js';
import { formatMs } from '../units/format.js';
import { mergeNote, mergeRounds } from './merge.js';
import { roundOrder, type Side } from './order.js';
import { checkoutRevision, type Revision } from './revision.js';

export interface AbOptions {
  repo: string;
  base: string;
  head: string;
  /** Scenario files (absolute), the same files for both sides. */
  scenarios: string[];
  /** Real backends to measure on, e.g. ["docker"]. */
  real: string[];
  rounds: number;
  realScale: number;
  realMaxInstances: number;
  signal: AbortSignal;
  cleanup: CleanupStack;
  progress: (line: string) => void;
}

export interface AbOutcome {
  base: Report;
  head: Report;
  revisions: Record<Side, Revision>;
}

/** Runs the A/B measurement; throws UsageError, InputError, EngineError or the signal's reason. */
export async function runAb(options: AbOptions): Promise<AbOutcome> {
  const { signal, cleanup, progress } = options;
  const root = await mkdtemp(join(tmpdir(), 'isobench-ab-'));
  cleanup.defer(`remove ${root}`, () => rm(root, { recursive: true, force: true }));
  const checkout = { repo: options.repo, signal, cleanup, progress };
  const revisions: Record<Side, Revision> = {
    base: await checkoutRevision(options.base, join(root, 'base'), checkout),
    head: await checkoutRevision(options.head, join(root, 'head'), checkout),
  };
  const measured: Record<Side, Report[]> = { base: [], head: [] };
  // One unmeasured round first: images built, caches warm, for both sides alike.
  const order = [['base', 'head'] as Side[], ...roundOrder(options.rounds)];
  const started = Date.now();
  const total = order.length * 2;
  let done = 0;
  for (const [round, sides] of order.entries()) {
    for (const side of sides) {
      if (signal.aborted) throw signal.reason;
      const elapsed = Date.now() - started;
      const left = done === 0 ? '' : `, ~${formatMs((elapsed / done) * (total - done))} left`;
      progress(`ab: ${round === 0 ? 'warm-up' : `round ${round}/${options.rounds}`}: ${side} (${revisions[side].ref}), ${done}/${total} runs${left}`);
      const report = await runOnce(revisions[side], options, join(root, `${side}-${round}`));
      if (round > 0) measured[side].push(report);
      done += 1;
    }
  }
  return {
    base: mergeRounds(measured.base, mergeNote('base', `${options.base} ${revisions.base.commit.slice(0, 12)}`, options.rounds)),
    head: mergeRounds(measured.head, mergeNote('head', `${options.head} ${revisions.head.commit.slice(0, 12)}`, options.rounds)),
    revisions,
  };
}

/** One run of a revision's CLI over the scenarios: one repetition, no warm-up, the report on stdout. */
async function runOnce(revision: Revision, options: AbOptions, results: string): Promise<Report> {
  const [node, ...script] = revision.cli;
  const args = [
    ...script,
    'bench',
    ...options.scenarios.flatMap((file) => ['--scenario', resolve(file)]),
    '--real',
    options.real.join(','),
    '--real-scale',
    String(options.realScale),
    '--real-max-instances',
    String(options.realMaxInstances),
    '--repetitions',
    '1',
    '--warmup',
    '0',
    '--results',
    results,
    '--json',
  ];
  const run = await execa(node!, args, { cwd: revision.dir, reject: false, cancelSignal: options.signal, forceKillAfterDelay: 10_000 });
  if (options.signal.aborted) throw options.signal.reason;
  const said = run.stderr.trim().split('\n').slice(-5).join('\n');
  if (run.exitCode === 2) throw new UsageError(`${revision.ref} refused the run (exit 2):\n${said}`);
  if (run.exitCode === 3) throw new EngineError(`${revision.ref}: the engine was unavailable or failed (exit 3):\n${said}`);
  if (run.exitCode !== 0) throw new EngineError(`${revision.ref}: bench exited ${run.exitCode ?? run.signal}:\n${said}`);
  try {
    return parseReport(run.stdout, `${revision.ref}'s report`);
  } catch (error) {
    if (error instanceof InputError) throw new EngineError(`${revision.ref} printed no report this revision can read: ${error.problems[0]?.message ?? ''}`);
    throw error;
  }
}
