// Backend tests read the result of a run that must have completed (RunOutcome 'completed').

import type { RunOutcome } from '../../src/backends/types.js';
import type { PlatformResult } from '../../src/report/types.js';

/** The result of a completed run; throws with the outcome's error otherwise. */
export function completedResult(outcome: RunOutcome): PlatformResult {
  if (outcome.state !== 'completed') throw new Error(`expected a completed run, got ${outcome.state}: ${outcome.error.message}`);
  return outcome.result;
}
