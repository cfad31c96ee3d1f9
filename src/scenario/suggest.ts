// "Did you mean": a near-miss correction for a key, an enum value or a unit, only when it is close.

import { closest, distance } from 'fastest-levenshtein';

/** The candidate closest to `input`, or undefined when none is within a third of its length. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || input === '') return undefined;
  const lower = input.toLowerCase();
  const exact = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const lowered = candidates.map((candidate) => candidate.toLowerCase());
  const best = closest(lower, lowered);
  const index = lowered.indexOf(best);
  const allowed = Math.floor(Math.max(lower.length, best.length) / 3);
  return distance(lower, best) <= allowed ? candidates[index] : undefined;
}
