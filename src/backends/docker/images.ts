// Makes sure each service's image is on the engine: reuse a cached one by its key, else load it.

import { Readable } from 'node:stream';
import { EngineError } from '../../errors.js';
import { throwIfAborted } from '../shared/abort.js';
import type { ServiceSpec } from '../../scenario/types.js';
import { readBusybox } from '../shared/busybox.js';
import type { DockerEngine, ImageLayers } from './engine.js';
import { type ImageBinaries, imageArchive } from './image-archive.js';
import { needsForkApp, readForkApp } from '../shared/fork-app.js';
import { planImages, type ImagePlan } from '../shared/image-plan.js';

/** Label on every image isobench builds. */
export const IMAGE_LABEL = 'isobench';
/** Label holding the plan hash: a changed scenario never reuses a stale image. */
export const KEY_LABEL = 'isobench.key';

/** A service's image as it is on the engine. */
export interface ReadyImage {
  service: string;
  ref: string;
  /** The plan it was built from; undefined for `image.ref` images. */
  plan?: ImagePlan;
  layers: ImageLayers;
  /** False when it was already cached. */
  built: boolean;
  buildMs: number;
}

/** Builds (or reuses) one image per service, sequentially, stopping promptly on abort. */
export async function ensureImages(engine: DockerEngine, services: readonly ServiceSpec[], signal: AbortSignal, progress: (message: string) => void): Promise<ReadyImage[]> {
  const busybox = await readBusybox();
  const forkApp = needsForkApp(services.map((service) => service.app)) ? await readForkApp() : undefined;
  const binaries: ImageBinaries = { busybox: busybox.bytes, ...(forkApp === undefined ? {} : { forkApp: forkApp.bytes }) };
  const plans = planImages(services, { bytes: busybox.bytes.length, digest: busybox.digest }, forkApp === undefined ? undefined : { bytes: forkApp.bytes.length, digest: forkApp.digest });
  const ready: ReadyImage[] = [];
  for (const service of services) {
    throwIfAborted(signal);
    if (service.image.ref !== undefined) {
      ready.push({ service: service.name, ref: service.image.ref, layers: await engine.imageLayers(service.image.ref), built: false, buildMs: 0 });
      continue;
    }
    const plan = plans.find((p) => p.service === service.name)!;
    ready.push(await ensurePlan(engine, plan, binaries, signal, progress));
  }
  return ready;
}

async function ensurePlan(engine: DockerEngine, plan: ImagePlan, binaries: ImageBinaries, signal: AbortSignal, progress: (message: string) => void): Promise<ReadyImage> {
  const cached = (await engine.listImages(`${KEY_LABEL}=${plan.key}`))[0];
  if (cached !== undefined) {
    return { service: plan.service, ref: cached.id, plan, layers: await engine.imageLayers(cached.id), built: false, buildMs: 0 };
  }
  const bytes = plan.layers.reduce((sum, layer) => sum + layer.contentBytes, 0);
  progress(`docker: building image ${plan.tag} (${plan.layers.length} layers, ${bytes} bytes)`);
  const started = performance.now();
  const archive = Readable.from(imageArchive(plan, binaries, { [IMAGE_LABEL]: '1', [KEY_LABEL]: plan.key }));
  const onAbort = (): void => {
    archive.destroy(new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Allow 20 MB/s at worst for generating and storing layers, and a minute at least.
    await engine.loadImage(archive, Math.max(60_000, (bytes / 20e6) * 1000));
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const buildMs = performance.now() - started;
  const layers = await engine.imageLayers(plan.tag);
  if (layers.diffIds.length !== plan.layers.length) {
    throw new EngineError(`image ${plan.tag} has ${layers.diffIds.length} layers on the engine, ${plan.layers.length} were built`);
  }
  return { service: plan.service, ref: plan.tag, plan, layers, built: true, buildMs };
}
