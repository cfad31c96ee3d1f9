// Ctrl-C and SIGTERM during a real run: the first aborts the run (backends stop, cleanup runs, a
// partial report is written); the second forces an exit at once.

import { runController } from '../backends/shared/abort.js';
import { InterruptedError } from '../errors.js';
import { EXIT } from './exit-codes.js';

/** A live interrupt watch: its signal aborts on the first SIGINT/SIGTERM. */
export interface InterruptWatch {
  signal: AbortSignal;
  /** Which signal arrived, if any. */
  received(): 'SIGINT' | 'SIGTERM' | undefined;
  /** Removes the handlers (call in `finally`). */
  dispose(): void;
}

/** Installs SIGINT/SIGTERM handlers; `say` receives one line for the user (stderr). */
export function watchInterrupts(say: (line: string) => void, hint: string): InterruptWatch {
  const controller = runController();
  let first: 'SIGINT' | 'SIGTERM' | undefined;
  const handle = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (first === undefined) {
      first = signal;
      say(`${signal}: stopping and cleaning up (press Ctrl-C again to force exit)`);
      controller.abort(new InterruptedError(signal));
      return;
    }
    say(`${signal} again: forced exit without cleanup; ${hint}`);
    process.exit(first === 'SIGINT' ? EXIT.interruptedInt : EXIT.interruptedTerm);
  };
  const onInt = (): void => handle('SIGINT');
  const onTerm = (): void => handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * After an interrupted run has cleaned up and reported: if anything (an engine's stream, a child's
 * pipe) still holds the event loop, exit anyway after `graceMs`. The timer is unref'd, so a process
 * with nothing left pending exits at once without waiting for it.
 */
export function exitIfStuck(code: number, graceMs = 5_000): void {
  setTimeout(() => process.exit(code), graceMs).unref();
}
