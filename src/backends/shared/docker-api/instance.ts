// One container's start, timed: create -> attach -> start -> ready marker, registered for cleanup
// the moment it exists.

import { messageOf } from '../../../errors.js';
import type { CleanupStack } from '../cleanup.js';
import { abortable, interruption } from '../abort.js';
import { failedStart, type InstanceOutcome, type StartedInstance } from '../instances.js';
import { MarkerWatch, outputTail, withDeadline, type AppEvent } from '../markers.js';
import { connectionLost } from '../docker-client.js';
import type { ContainerSpec, ContainerState, DockerEngine } from './engine.js';

/** A started (or failed) container and what is left to watch. */
/** A container once its start is over (see StartedInstance). */
export type StartedContainer = StartedInstance;

export interface StartContext {
  engine: DockerEngine;
  cleanup: CleanupStack;
  signal: AbortSignal;
  timeoutMs: number;
  /** performance.now() when the batch started. */
  batchStart: number;
  /** The concurrency wave this start belongs to (0-based). */
  wave?: number;
}

/**
 * Starts one container and waits for its ready marker. Engine failures become an 'engine-error'
 * outcome (the batch decides whether to go on); an abort rejects with InterruptedError, after the
 * container (if created) is registered for cleanup.
 */
export async function startContainer(context: StartContext, spec: ContainerSpec, index: number, service: string): Promise<StartedContainer> {
  const { engine, cleanup, signal } = context;
  const t0 = performance.now();
  let id: string;
  try {
    id = await engine.createContainer(spec);
  } catch (error) {
    return failedStart(index, service, null, 'engine-error', messageOf(error));
  }
  const remove = cleanup.defer(`remove container ${id.slice(0, 12)}`, () => engine.removeContainer(id));
  if (signal.aborted) {
    // Created while the run was being interrupted: the cleanup may already have run, so remove it here.
    await remove();
    throw interruption(signal);
  }
  const t1 = performance.now();
  const fail = (reason: Extract<InstanceOutcome, { state: 'failed' }>['reason'], message: string): StartedInstance => failedStart(index, service, id, reason, message, remove);
  let watch: MarkerWatch;
  let t2: number;
  let t3: number;
  try {
    watch = new MarkerWatch(await abortable(engine.attach(id), signal));
    t2 = performance.now();
    await abortable(engine.start(id), signal);
    t3 = performance.now();
  } catch (error) {
    if (signal.aborted) throw error;
    return fail('engine-error', messageOf(error));
  }
  const left = context.timeoutMs - (t3 - t0);
  const event = await abortable(
    withDeadline<AppEvent | 'timeout'>(watch.ready, left, () => 'timeout'),
    signal,
  );
  if (event === 'timeout') {
    return fail('timeout', `no ready marker within ${Math.round(context.timeoutMs / 1000)} s (last output: ${outputTail(watch)})`);
  }
  if (event.kind !== 'ready') {
    // The app prints FAILED and exits; the OOM flag is set once the container has exited. The output
    // also ends when the daemon itself goes away: that is an engine fault, not an app that exited.
    let state: ContainerState | undefined;
    try {
      state = await exitedState(engine, id, 3_000);
    } catch (error) {
      return fail('engine-error', messageOf(error));
    }
    if (state?.oomKilled) return fail('oom-killed', `container ${id.slice(0, 12)} was OOM-killed at its ${spec.memoryLimitBytes}-byte limit`);
    if (event.kind === 'failed') return fail('app-failed', event.reason);
    return fail('exited', `container exited with code ${state?.exitCode ?? 'unknown'} before ready (last output: ${outputTail(watch)})`);
  }
  return {
    outcome: {
      state: 'ready',
      index,
      service,
      id,
      phases: { create: t1 - t0, attach: t2 - t1, start: t3 - t2, app: event.at - t3 },
      requestedAtMs: t0 - context.batchStart,
      startupMs: event.at - t0,
      readyAtMs: event.at - context.batchStart,
      wave: context.wave ?? 0,
    },
    done: watch.done,
    remove,
  };
}

/** How long after the exit the OOM flag may still flip: the daemon handles the OOM and exit events apart. */
const OOM_FLAG_GRACE_MS = 1_000;

/**
 * Inspects until the container stopped (or `ms` passed), then until its OOMKilled flag is set or
 * OOM_FLAG_GRACE_MS passed: a process other than the container's first one (the app's dd) killed by
 * the OOM killer is flagged by a separate event, which may come after the exit is visible. Throws the
 * EngineError when the daemon stopped answering; any other failure gives undefined.
 */
async function exitedState(engine: DockerEngine, id: string, ms: number): Promise<ContainerState | undefined> {
  const until = performance.now() + ms;
  let stoppedAt: number | undefined;
  for (;;) {
    const state = await engine.inspect(id).catch((error: unknown) => {
      if (connectionLost((error as { cause?: unknown }).cause)) throw error;
      return undefined;
    });
    const now = performance.now();
    if (state === undefined || state.oomKilled || now > until) return state;
    if (!state.running) {
      stoppedAt ??= now;
      if (now - stoppedAt >= OOM_FLAG_GRACE_MS) return state;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
