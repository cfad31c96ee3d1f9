// One measured start of an instance, shared by every real backend: timings by phase, or a failure
// saying what happened (timeout, out of memory, exited), never a made-up number.

import type { AppEvent } from './markers.js';

/** Phases of one start, in ms. Docker: create, attach, start, ready; host: spawn, ready. */
export type PhaseTimings = Record<string, number>;

export type InstanceOutcome =
  | {
      state: 'ready';
      index: number;
      service: string;
      /** Container id or process id. */
      id: string;
      /** In order: each phase's ms, from the request to the ready marker. */
      phases: PhaseTimings;
      /** From the batch's start to this instance's first request. */
      requestedAtMs: number;
      /** From this instance's first request to its ready marker. */
      startupMs: number;
      /** From the batch's start to this instance's ready marker. */
      readyAtMs: number;
      /** The concurrency wave it was started in (0-based). */
      wave: number;
    }
  | {
      state: 'failed';
      index: number;
      service: string;
      id: string | null;
      reason: 'timeout' | 'oom-killed' | 'exited' | 'app-failed' | 'engine-error';
      message: string;
    };

/** A container engine's instance once its start is over: its outcome, its app's DONE, and how to remove it now. */
export interface StartedInstance {
  outcome: InstanceOutcome;
  /** Resolves when the app printed DONE (or failed / ended). */
  done: Promise<AppEvent>;
  /** Removes the instance now and unregisters its cleanup. */
  remove: () => Promise<void>;
}

/** A start that failed: nothing more to wait for; `remove` removes what it left (nothing by default). */
export function failedStart(
  index: number,
  service: string,
  id: string | null,
  reason: Extract<InstanceOutcome, { state: 'failed' }>['reason'],
  message: string,
  remove: () => Promise<void> = async () => {},
): StartedInstance {
  return { outcome: { state: 'failed', index, service, id, reason, message }, done: Promise.resolve({ kind: 'ended', at: performance.now() }), remove };
}

/** The instances of a scenario, service by service, in start order. */
export function instanceServices(services: readonly { name: string; instances: number }[]): string[] {
  return services.flatMap((service) => Array.from({ length: service.instances }, () => service.name));
}

/** One sentence per kind of failure, e.g. "2 instances of api timed out (no ready marker within 30 s)". */
export function describeFailures(outcomes: readonly InstanceOutcome[]): string[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const outcome of outcomes) {
    if (outcome.state !== 'failed') continue;
    const key = `${outcome.service}:${outcome.reason}`;
    const group = groups.get(key) ?? { count: 0, example: outcome.message };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, { count, example }]) => {
    const [service, reason] = key.split(':');
    return `${count} instance${count === 1 ? '' : 's'} of ${service} ${REASON_TEXT[reason as keyof typeof REASON_TEXT]}: ${example}`;
  });
}

const REASON_TEXT = {
  timeout: 'timed out',
  'oom-killed': 'killed by the OOM killer (memory limit exceeded)',
  exited: 'exited before ready',
  'app-failed': 'failed',
  'engine-error': 'failed in the engine',
} as const;
