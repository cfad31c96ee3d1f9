// Every exit code the CLI uses, and the one place errors are mapped to them.

import { EngineError, InputError, InterruptedError, OutputError, UsageError } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** A comparison found a regression. */
  regression: 1,
  /** Bad input or usage. */
  badInput: 2,
  /** A requested engine is unavailable or failed. */
  engine: 3,
  interruptedInt: 130,
  interruptedTerm: 143,
} as const;

/** The exit code for a known error, or undefined for a bug (which the caller re-throws). */
export function exitCodeFor(error: unknown): number | undefined {
  if (error instanceof InputError || error instanceof UsageError || error instanceof OutputError) return EXIT.badInput;
  if (error instanceof EngineError) return EXIT.engine;
  if (error instanceof InterruptedError) return error.signal === 'SIGINT' ? EXIT.interruptedInt : EXIT.interruptedTerm;
  return undefined;
}
