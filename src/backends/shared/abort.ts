// Stopping promptly on Ctrl-C / SIGTERM: the run's AbortSignal turned into InterruptedError.

import { setMaxListeners } from 'node:events';
import { InterruptedError } from '../../errors.js';

/**
 * A run's abort controller. Every instance in flight waits on its signal at once (a burst of 16
 * containers: 16 listeners, up to the 200-instance cap and their requests), so Node's 10-listener
 * leak warning is lifted for it; each listener is removed when its wait ends.
 */
export function runController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * The InterruptedError for an aborted signal. The CLI aborts with an InterruptedError as the reason;
 * a reason 'SIGTERM' (string) is understood too; anything else counts as SIGINT.
 */
export function interruption(signal: AbortSignal): InterruptedError {
  const reason: unknown = signal.reason;
  if (reason instanceof InterruptedError) return new InterruptedError(reason.signal);
  return new InterruptedError(reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

/** Throws InterruptedError when the run's signal has fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw interruption(signal);
}

/** Resolves with `promise`, or rejects with InterruptedError as soon as the signal fires. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(interruption(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interruption(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with InterruptedError when the signal fires first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), signal);
}
