// For the bench:* scripts: a known error (no engine, bad input, interrupted) ends the script with one
// clear line and the CLI's exit code, as `isobench` itself does; anything else keeps its stack.

import { formatProblem, InputError } from '../../src/errors.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';

/** Installs the handler; call first thing in a script that uses top-level await. */
export function exitOnKnownErrors(script: string): void {
  process.on('uncaughtException', (error) => {
    const code = exitCodeFor(error);
    if (code === undefined) {
      console.error(error);
      process.exit(1);
    }
    const message = error instanceof InputError ? error.problems.map(formatProblem).join('\n') : error.message;
    console.error(`${script}: ${message}`);
    process.exit(code);
  });
}
