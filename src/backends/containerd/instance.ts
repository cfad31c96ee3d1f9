// One container's start on containerd, timed: `ctr containers create` (snapshot, metadata) ->
// `ctr tasks start -d` (shim, runc create and start) -> the app's ready marker in its log file.
// Registered for cleanup the moment it exists.

import { messageOf } from '../../errors.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { abortable, interruption } from '../shared/abort.js';
import type { CleanupStack } from '../shared/cleanup.js';
import { failedStart, type InstanceOutcome, type StartedInstance } from '../shared/instances.js';
import { MarkerWatch, outputTail, withDeadline, type AppEvent } from '../shared/markers.js';
import type { Ctr } from './ctr.js';
import type { EventWatch } from './events.js';
import { FileFollower } from './follow.js';

/** The capabilities ctr's default spec grants; ctr has no "ALL", so each is dropped by name (as Docker's CapDrop ALL). */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** One service's container settings. */
export interface InstanceSpec {
  /** containerd's image name (docker.io/...). */
  image: string;
  command: string[];
  labels: Record<string, string>;
  memoryLimitBytes: number;
}

/** The `ctr containers create` arguments: no network (ctr's default: a new network namespace with only lo), memory limit, labels, no capabilities. Pure. */
export function createArgs(spec: InstanceSpec, id: string): string[] {
  return [
    'containers',
    'create',
    '--memory-limit',
    String(spec.memoryLimitBytes),
    ...Object.entries(spec.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ...DEFAULT_CAPABILITIES.flatMap((cap) => ['--cap-drop', cap]),
    spec.image,
    id,
    '--',
    ...spec.command,
  ];
}

export interface StartContext {
  ctr: Ctr;
  events: EventWatch;
  cleanup: CleanupStack;
  signal: AbortSignal;
  timeoutMs: number;
  /** Where each container's log file goes. */
  logDir: string;
  batchStart: number;
  wave: number;
}

/** A started (or failed) container and what is left to watch. */
/** Kills and deletes a container's task, then the container and its snapshot; a missing one is fine. */
export async function removeInstance(ctr: Ctr, id: string): Promise<void> {
  await ctr.run('delete task', ['tasks', 'delete', '--force', id], { missingIsFine: true });
  await ctr.run('delete container', ['containers', 'delete', id], { missingIsFine: true });
}

/**
 * Creates and starts one container and waits for its ready marker. Engine failures become an
 * 'engine-error' outcome; an abort rejects with InterruptedError after the container (if created)
 * is registered for cleanup.
 */
export async function startInstance(context: StartContext, spec: InstanceSpec, id: string, index: number, service: string): Promise<StartedInstance> {
  const { ctr, events, cleanup, signal } = context;
  const logPath = join(context.logDir, `${id}.log`);
  await writeFile(logPath, '');
  const follower = new FileFollower(logPath);
  await follower.start();
  const watch = new MarkerWatch(follower.output);
  void events.exited(id).then(() => follower.end());
  const t0 = performance.now();
  try {
    await ctr.run('create container', createArgs(spec, id));
  } catch (error) {
    follower.close();
    // A create that failed midway may have left the container: remove it either way.
    await removeInstance(ctr, id).catch(() => undefined);
    if (signal.aborted) throw interruption(signal);
    return failedStart(index, service, null, 'engine-error', messageOf(error));
  }
  const removeNow = cleanup.defer(`remove container ${id}`, () => removeInstance(ctr, id));
  const remove = async (): Promise<void> => {
    follower.close();
    await removeNow();
  };
  if (signal.aborted) {
    await remove();
    throw interruption(signal);
  }
  const t1 = performance.now();
  const fail = (reason: Extract<InstanceOutcome, { state: 'failed' }>['reason'], message: string): StartedInstance => failedStart(index, service, id, reason, message, remove);
  let t2: number;
  try {
    await abortable(ctr.run('start task', ['tasks', 'start', '--detach', '--log-uri', `file://${logPath}`, id]), signal);
    t2 = performance.now();
  } catch (error) {
    if (signal.aborted) throw error;
    return fail('engine-error', messageOf(error));
  }
  const event = await abortable(
    withDeadline<AppEvent | 'timeout'>(watch.ready, context.timeoutMs - (t2 - t0), () => 'timeout'),
    signal,
  );
  if (event === 'timeout') return fail('timeout', `no ready marker within ${Math.round(context.timeoutMs / 1000)} s (last output: ${outputTail(watch)})`);
  if (event.kind !== 'ready') {
    if (events.ended) return fail('engine-error', ctr.stopped(`the start of ${id}`, 'its event stream ended').message);
    // The OOM event may follow the exit: wait for the exit, then a moment for the OOM flag.
    await abortable(
      withDeadline(events.exited(id), 3_000, () => undefined),
      signal,
    );
    if (!events.oomKilled(id)) await abortable(new Promise((resolve) => setTimeout(resolve, OOM_EVENT_GRACE_MS)), signal);
    if (events.oomKilled(id)) return fail('oom-killed', `container ${id} was OOM-killed at its ${spec.memoryLimitBytes}-byte limit`);
    if (event.kind === 'failed') return fail('app-failed', event.reason);
    return fail('exited', `container exited with code ${events.exitStatus(id) ?? 'unknown'} before ready (last output: ${outputTail(watch)})`);
  }
  return {
    outcome: {
      state: 'ready',
      index,
      service,
      id,
      phases: { create: t1 - t0, start: t2 - t1, app: event.at - t2 },
      requestedAtMs: t0 - context.batchStart,
      startupMs: event.at - t0,
      readyAtMs: event.at - context.batchStart,
      wave: context.wave,
    },
    done: watch.done,
    remove,
  };
}

/** How long after a failure the OOM event may still arrive (containerd sends exit and OOM apart). */
const OOM_EVENT_GRACE_MS = 300;
