// Finding and removing what isobench left on the engine: this run's containers, an earlier crashed
// run's containers, and (for `isobench clean`) every image it built.

import type { DockerEngine } from './engine.js';
import { IMAGE_LABEL } from './images.js';

/** Label on every container: the id of the run that made it. */
export const RUN_LABEL = 'isobench.run';

/** Removes containers of other (earlier, crashed) runs; returns how many. Images stay: they are a cache. */
export async function reapLeftovers(engine: DockerEngine, currentRunId: string): Promise<number> {
  const leftovers = (await engine.listContainers(RUN_LABEL)).filter((c) => c.labels[RUN_LABEL] !== currentRunId);
  await Promise.all(leftovers.map((c) => engine.removeContainer(c.id)));
  return leftovers.length;
}

/** Removes every container of one run; returns how many. */
export async function removeRunContainers(engine: DockerEngine, runId: string): Promise<number> {
  const containers = await engine.listContainers(`${RUN_LABEL}=${runId}`);
  await Promise.all(containers.map((c) => engine.removeContainer(c.id)));
  return containers.length;
}

/** Removes every isobench container (any run) and every image it built; returns the counts. */
export async function removeEverything(engine: DockerEngine): Promise<{ containers: number; images: number }> {
  const containers = [
    ...new Map(
      [...(await engine.listContainers(RUN_LABEL)), ...(await engine.listContainers(IMAGE_LABEL))].map((c) => [c.id, c]),
    ).values(),
  ];
  await Promise.all(containers.map((c) => engine.removeContainer(c.id)));
  const images = await engine.listImages(IMAGE_LABEL);
  for (const image of images) await engine.removeImage(image.id);
  return { containers: containers.length, images: images.length };
}
