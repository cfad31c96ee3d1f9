// Where the CLI writes: stdout carries only the requested output, stderr everything else.

import { EXIT } from './exit-codes.js';

/** Output sinks; tests pass their own. */
export interface CliIo {
  /** The command's output (a table, JSON): nothing else goes here. */
  out(text: string): void;
  /** Progress, diagnostics, errors: one line or more, newline added by the caller. */
  err(text: string): void;
}

let pipeGuarded = false;

/** `isobench | head`: a reader that closed the pipe early is not an error worth a stack trace. */
function guardPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
  });
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => {
    guardPipe();
    process.stdout.write(text);
  },
  err: (text) => process.stderr.write(text),
};
