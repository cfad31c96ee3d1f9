// One side of an A/B run: the reports of its rounds merged into one report the comparison reads.
// Each round is one run of the whole batch, so the samples of a measured figure are its per-round
// values (one independent aggregate per round), never the pooled per-instance samples of one batch,
// which are not independent. Only measured results are kept: model figures are compared against the
// committed baseline, not here. Pure.

import { resultKey } from '../compare/result-key.js';
import { median, sampleStats } from '../backends/shared/stats.js';
import { METRIC_KEYS, type PlatformResult, type Report, type SampleStats, type ScenarioReport } from '../report/types.js';

/** What a merged report says about itself, in its notes. */
export function mergeNote(side: string, ref: string, rounds: number): string {
  return `A/B ${side} (${ref}): ${rounds} round(s) measured on this machine, interleaved with the other side; each figure is the median of its per-round values, and the samples tested are those per-round values`;
}

/** Merges the rounds of one side (same revision, same scenarios); throws when there are none. */
export function mergeRounds(rounds: readonly Report[], note: string): Report {
  const first = rounds[0];
  if (first === undefined) throw new RangeError('mergeRounds needs at least one round');
  const scenarios: ScenarioReport[] = first.scenarios.map((scenario) => {
    const measured = scenario.results.filter((result) => result.provenance.kind === 'measured');
    return {
      ...scenario,
      results: measured.map((result) =>
        mergeResult(
          result,
          rounds.map((round) => findResult(round, scenario.name, resultKey(result))),
        ),
      ),
    };
  });
  return {
    ...first,
    partial: rounds.some((round) => round.partial),
    scenarios,
    notes: [note, ...rounds.flatMap((round) => round.notes).filter((line, index, all) => all.indexOf(line) === index)],
  };
}

function findResult(report: Report, scenario: string, key: string): PlatformResult | undefined {
  return report.scenarios.find((s) => s.name === scenario)?.results.find((r) => resultKey(r) === key);
}

function mergeResult(template: PlatformResult, rounds: (PlatformResult | undefined)[]): PlatformResult {
  const present = rounds.filter((round): round is PlatformResult => round !== undefined);
  const metrics = { ...template.metrics };
  const stats: Partial<Record<(typeof METRIC_KEYS)[number], SampleStats>> = {};
  for (const key of METRIC_KEYS) {
    const values = present.map((round) => round.metrics[key]).filter((value): value is number => value !== null);
    metrics[key] = median(values);
    if (values.length > 0) stats[key] = sampleStats(values);
  }
  const failed = present.filter((round) => round.state !== 'completed').length;
  const missing = rounds.length - present.length;
  return {
    ...template,
    state: failed > 0 || missing > 0 ? 'partial' : 'completed',
    metrics,
    stats,
    notes: [
      ...(template.notes ?? []),
      ...(failed > 0 ? [`${failed} of ${rounds.length} round(s) did not complete`] : []),
      ...(missing > 0 ? [`${missing} of ${rounds.length} round(s) have no such result`] : []),
    ],
  };
}
