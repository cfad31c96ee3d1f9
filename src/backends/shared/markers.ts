// Watching an app's output for its ready, done and failed markers, with the time each arrived.

import type { Readable } from 'node:stream';
import { DONE_MARKER, FAILED_MARKER, READY_MARKER } from './app-script.js';

/** What the app printed, as it arrived. */
export type AppEvent =
  | { kind: 'ready'; at: number }
  | { kind: 'done'; at: number }
  | { kind: 'failed'; at: number; reason: string }
  /** The output ended (the app or its container exited) without DONE. */
  | { kind: 'ended'; at: number };

/** Follows one app's output; `ready` and `done` resolve with the first matching event or a failure/end. */
export class MarkerWatch {
  readonly ready: Promise<AppEvent>;
  readonly done: Promise<AppEvent>;
  /** The last lines printed, for error messages. */
  readonly tail: string[] = [];

  constructor(output: Readable, now: () => number = () => performance.now()) {
    let resolveReady: (event: AppEvent) => void = () => {};
    let resolveDone: (event: AppEvent) => void = () => {};
    this.ready = new Promise((resolve) => (resolveReady = resolve));
    this.done = new Promise((resolve) => (resolveDone = resolve));
    let pending = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      const at = now();
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        this.#remember(line);
        if (line.startsWith(READY_MARKER)) resolveReady({ kind: 'ready', at });
        else if (line.startsWith(DONE_MARKER)) resolveDone({ kind: 'done', at });
        else if (line.startsWith(FAILED_MARKER)) {
          const event: AppEvent = { kind: 'failed', at, reason: line.slice(FAILED_MARKER.length).trim() };
          resolveReady(event);
          resolveDone(event);
        }
      }
    });
    const end = (): void => {
      if (pending !== '') this.#remember(pending);
      const event: AppEvent = { kind: 'ended', at: now() };
      resolveReady(event);
      resolveDone(event);
    };
    output.on('end', end);
    output.on('close', end);
    output.on('error', end);
  }

  #remember(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 5) this.tail.shift();
  }
}

/** Resolves with `promise`, or with `onTimeout()` after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The app's last lines for a failure message ("none" when it printed nothing), at most 300 characters. */
export function outputTail(watch: MarkerWatch): string {
  return watch.tail.length === 0 ? 'none' : watch.tail.join(' | ').slice(0, 300);
}
