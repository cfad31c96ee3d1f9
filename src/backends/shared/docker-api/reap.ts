// Finding and removing what isobench left on the engine: this run's containers, an earlier crashed
// run's containers, and (for `isobench clean`) every image it built. A run still in progress (its
// process alive on this host) is never reaped by another run, so two runs can share an engine.

import { hostname } from 'node:os';
import type { DockerEngine, ListedContainer } from './engine.js';
import { IMAGE_LABEL } from '../docker-images.js';

/** Label on every container: the id of the run that made it. */
export const RUN_LABEL = 'isobench.run';
/** Labels saying which process on which host made a container (to tell a live run from a crashed one). */
export const PID_LABEL = 'isobench.pid';
export const HOST_LABEL = 'isobench.hostname';

/** The labels every container of this process carries, besides the run id. */
export function ownerLabels(): Record<string, string> {
  return { [PID_LABEL]: String(process.pid), [HOST_LABEL]: hostname() };
}

/** True when the container's run is still in progress here: same host, its process alive. */
export function ownerAlive(labels: Record<string, string>, isAlive: (pid: number) => boolean = pidAlive): boolean {
  const pid = Number(labels[PID_LABEL]);
  if (labels[HOST_LABEL] !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  return isAlive(pid);
}

/** Removes containers of other runs whose process is gone (crashed); returns how many. Images stay: they are a cache. */
export async function reapLeftovers(engine: DockerEngine, currentRunId: string): Promise<number> {
  const leftovers = (await engine.listContainers(RUN_LABEL)).filter((c) => c.labels[RUN_LABEL] !== currentRunId && !ownerAlive(c.labels));
  await Promise.all(leftovers.map((c) => engine.removeContainer(c.id)));
  return leftovers.length;
}

/** Removes every container of one run; returns how many. */
export async function removeRunContainers(engine: DockerEngine, runId: string): Promise<number> {
  const containers = await engine.listContainers(`${RUN_LABEL}=${runId}`);
  await Promise.all(containers.map((c) => engine.removeContainer(c.id)));
  return containers.length;
}

/**
 * Removes every isobench container and every image it built; returns the counts. Containers of a
 * run in progress on this host are kept (and counted in `kept`) unless `includeLive`.
 */
export async function removeEverything(engine: DockerEngine, includeLive = false): Promise<{ containers: number; images: number; kept: number }> {
  const all = new Map<string, ListedContainer>();
  for (const c of [...(await engine.listContainers(RUN_LABEL)), ...(await engine.listContainers(IMAGE_LABEL))]) all.set(c.id, c);
  const doomed = [...all.values()].filter((c) => includeLive || !ownerAlive(c.labels));
  await Promise.all(doomed.map((c) => engine.removeContainer(c.id)));
  const kept = all.size - doomed.length;
  const images = await engine.listImages(IMAGE_LABEL);
  let removed = 0;
  for (const image of images) {
    // An image still used by a kept container stays (the engine refuses without force).
    if (await engine.removeImage(image.id, kept === 0)) removed += 1;
  }
  return { containers: doomed.length, images: removed, kept };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
