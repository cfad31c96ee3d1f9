// Makes sure each service's image is on a Docker engine: reuse a cached one by its key, else load
// it. Shared by the backends that talk to a Docker Engine (docker, swarm): each passes its client.

import { Readable } from 'node:stream';
import { EngineError } from '../../errors.js';
import type { ServiceSpec } from '../../scenario/types.js';
import { throwIfAborted } from './abort.js';
import { readBusybox } from './busybox.js';
import { type ImageBinaries, imageArchive } from './image-archive.js';
import { needsForkApp, readForkApp } from './fork-app.js';
import { planImages, type ImagePlan } from './image-plan.js';

/** One image's layers: DiffIDs (content) and their sizes, bottom first. */
export interface ImageLayers {
  id: string;
  diffIds: string[];
  layerBytes: number[];
  sizeBytes: number;
  labels: Record<string, string>;
}

export interface ListedImage {
  id: string;
  labels: Record<string, string>;
  tags: string[];
}

/** What building images needs of an engine client. */
export interface ImageEngine {
  listImages(label: string): Promise<ListedImage[]>;
  imageLayers(ref: string): Promise<ImageLayers>;
  loadImage(archive: Readable, timeoutMs: number): Promise<void>;
}

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
export async function ensureImages(engine: ImageEngine, services: readonly ServiceSpec[], signal: AbortSignal, progress: (message: string) => void, backend = 'docker'): Promise<ReadyImage[]> {
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
    ready.push(await ensurePlan(engine, plan, binaries, signal, progress, backend));
  }
  return ready;
}

async function ensurePlan(engine: ImageEngine, plan: ImagePlan, binaries: ImageBinaries, signal: AbortSignal, progress: (message: string) => void, backend: string): Promise<ReadyImage> {
  const cached = (await engine.listImages(`${KEY_LABEL}=${plan.key}`))[0];
  if (cached !== undefined) {
    return { service: plan.service, ref: cached.id, plan, layers: await engine.imageLayers(cached.id), built: false, buildMs: 0 };
  }
  const bytes = plan.layers.reduce((sum, layer) => sum + layer.contentBytes, 0);
  progress(`${backend}: building image ${plan.tag} (${plan.layers.length} layers, ${bytes} bytes)`);
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
