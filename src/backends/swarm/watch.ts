// Following one service's rollout: its tasks' states from the API (polled every 50 ms; each state
// carries the engine's timestamp of when it was reached) and, once a task runs, its container's log
// for the app's ready marker (timestamped by the engine as the line was written).

import type { Readable } from 'node:stream';
import { abortable } from '../shared/abort.js';
import type { SwarmEngine, TaskView } from './engine.js';
import { epochMs, markerOf, type LogMarker } from './log-lines.js';

/** One replica slot's start, in epoch ms from the engine's clock. */
export type SlotResult =
  | { state: 'ready'; slot: number; nodeId: string; containerId: string; createdAtMs: number; runningAtMs: number; readyAtMs: number; done: Promise<LogMarker | undefined> }
  | { state: 'failed'; slot: number; containerId: string | null; reason: 'timeout' | 'exited' | 'app-failed' | 'engine-error'; message: string };

const POLL_MS = 50;
const ENDED = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);

/** Follows one container's log; `ready` and `done` resolve with the first such marker (or failed), undefined when the log ends. */
function followMarkers(stream: Readable): { ready: Promise<LogMarker | undefined>; done: Promise<LogMarker | undefined>; close: () => void } {
  let resolveReady: (m: LogMarker | undefined) => void = () => {};
  let resolveDone: (m: LogMarker | undefined) => void = () => {};
  const ready = new Promise<LogMarker | undefined>((r) => (resolveReady = r));
  const done = new Promise<LogMarker | undefined>((r) => (resolveDone = r));
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const marker = markerOf(line);
      if (marker?.kind === 'ready') resolveReady(marker);
      else if (marker?.kind === 'done') resolveDone(marker);
      else if (marker?.kind === 'failed') {
        resolveReady(marker);
        resolveDone(marker);
      }
    }
  });
  const end = (): void => {
    resolveReady(undefined);
    resolveDone(undefined);
  };
  stream.on('end', end);
  stream.on('close', end);
  stream.on('error', end);
  return { ready, done, close: () => stream.destroy() };
}

/**
 * Waits until every slot of the service is ready or failed, or `deadlineMs` (performance.now()) passed.
 * Log streams stay open until `closeAll` (the last batch waits for DONE on them). `engineOf` gives
 * the engine of the node a task runs on (its container and log live there).
 */
export async function watchService(
  engine: SwarmEngine,
  serviceId: string,
  replicas: number,
  deadlineMs: number,
  signal: AbortSignal,
  engineOf: (nodeId: string) => SwarmEngine | undefined = () => engine,
): Promise<{ slots: SlotResult[]; closeAll: () => void }> {
  const followers = new Map<string, ReturnType<typeof followMarkers>>();
  const runningAt = new Map<string, number>();
  const results = new Map<number, SlotResult>();
  const readyOf = new Map<string, LogMarker | undefined | 'waiting'>();
  const closeAll = (): void => {
    for (const f of followers.values()) f.close();
  };
  let latest: TaskView[] = [];
  try {
    while (results.size < replicas && performance.now() < deadlineMs) {
      latest = latestPerSlot(await engine.tasks(serviceId));
      for (const task of latest) {
        if (results.has(task.slot)) continue;
        if (task.state === 'running' && !runningAt.has(task.id)) runningAt.set(task.id, epochMs(task.timestamp));
        if (task.state === 'running' && task.containerId !== null && !followers.has(task.id)) {
          const nodeEngine = engineOf(task.nodeId);
          if (nodeEngine === undefined) {
            results.set(task.slot, {
              state: 'failed',
              slot: task.slot,
              containerId: task.containerId,
              reason: 'engine-error',
              message: `task placed on node ${task.nodeId} whose engine isobench does not reach`,
            });
            continue;
          }
          const follower = followMarkers(await nodeEngine.followLogs(task.containerId));
          followers.set(task.id, follower);
          readyOf.set(task.id, 'waiting');
          void follower.ready.then((m) => readyOf.set(task.id, m));
        }
        const marker = readyOf.get(task.id);
        if (marker !== undefined && marker !== 'waiting') {
          if (marker.kind === 'ready') {
            results.set(task.slot, {
              state: 'ready',
              slot: task.slot,
              nodeId: task.nodeId,
              containerId: task.containerId!,
              createdAtMs: epochMs(task.createdAt),
              runningAtMs: runningAt.get(task.id)!,
              readyAtMs: marker.atMs,
              done: followers.get(task.id)!.done,
            });
          } else if (marker.kind === 'failed') {
            results.set(task.slot, { state: 'failed', slot: task.slot, containerId: task.containerId, reason: 'app-failed', message: marker.reason });
          }
          continue;
        }
        if (ENDED.has(task.state) || (marker === undefined && readyOf.has(task.id))) {
          const exit = task.exitCode === null ? '' : ` (exit code ${task.exitCode}${task.exitCode === 137 ? ': killed, e.g. by the OOM killer at its memory limit' : ''})`;
          results.set(task.slot, {
            state: 'failed',
            slot: task.slot,
            containerId: task.containerId,
            reason: task.state === 'rejected' ? 'engine-error' : 'exited',
            message: `task ${task.state}${exit}${task.err ? `: ${task.err}` : ''}`,
          });
        }
      }
      if (results.size < replicas) await pause(POLL_MS, signal);
    }
  } catch (error) {
    closeAll();
    throw error;
  }
  for (let slot = 1; slot <= replicas; slot += 1) {
    if (results.has(slot)) continue;
    const task = latest.find((t) => t.slot === slot);
    results.set(slot, { state: 'failed', slot, containerId: task?.containerId ?? null, reason: 'timeout', message: `no ready marker in time (task state: ${task?.state ?? 'not created'})` });
  }
  return { slots: [...results.values()].sort((a, b) => a.slot - b.slot), closeAll };
}

/** The newest task of each slot (a slot keeps older tasks in its history when one is replaced). */
function latestPerSlot(tasks: readonly TaskView[]): TaskView[] {
  const bySlot = new Map<number, TaskView>();
  for (const task of tasks) {
    const known = bySlot.get(task.slot);
    if (known === undefined || epochMs(task.createdAt) > epochMs(known.createdAt)) bySlot.set(task.slot, task);
  }
  return [...bySlot.values()];
}

/** Waits `ms` on a timer that keeps the process alive (the shared sleep's does not: nothing else may be pending while polling the engine). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}
