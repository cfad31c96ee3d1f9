// A run that failed midway still has a result worth writing: it travels on the error.

import type { PlatformResult } from '../../report/types.js';

const PARTIAL = Symbol.for('isobench.partialResult');

/** Attaches what completed before `error` (state 'partial' or 'failed') and returns the error. */
export function withPartial<E extends Error>(error: E, result: PlatformResult | undefined): E {
  if (result !== undefined) Object.defineProperty(error, PARTIAL, { value: result, enumerable: false });
  return error;
}

/** The partial result an EngineError from a real backend carries, if any: write it, marked partial. */
export function partialResultOf(error: unknown): PlatformResult | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  return (error as { [PARTIAL]?: PlatformResult })[PARTIAL];
}
