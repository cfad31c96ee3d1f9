// The scenario's images on containerd: the shared image plan streamed as a `docker save` archive into
// `ctr images import`, the image config's labels copied onto the image (so a cached one is found by
// its key), and each image's layers read back from the content store.

import type { Readable } from 'node:stream';
import { EngineError } from '../../errors.js';
import type { ImageEngine, ImageLayers, ListedImage } from '../shared/docker-images.js';
import type { Ctr } from './ctr.js';
import { normalizeRef, parseImages, parseImported } from './parse.js';

/** The manifest and config fields isobench reads (Docker schema 2 / OCI, as `ctr content get` prints them). */
interface Manifest {
  config: { digest: string };
  layers: { digest: string; size: number }[];
}
interface ImageConfig {
  rootfs?: { diff_ids?: string[] };
  config?: { Labels?: Record<string, string> | null };
}

/** ensureImages' view of containerd, through ctr. */
export function ctrImageEngine(ctr: Ctr): ImageEngine {
  const list = async (filter: string): Promise<ListedImage[]> =>
    parseImages(await ctr.run('list images', ['images', 'ls', filter])).map((row) => ({ id: row.ref, labels: row.labels, tags: [row.ref] }));
  const content = async <T>(digest: string): Promise<T> => JSON.parse(await ctr.run('read image content', ['content', 'get', digest])) as T;
  const layers = async (ref: string): Promise<ImageLayers> => {
    const name = normalizeRef(ref);
    const row = parseImages(await ctr.run('list images', ['images', 'ls', `name==${name}`]))[0];
    if (row === undefined) throw new EngineError(`containerd has no image ${name}`);
    const manifest = await content<Manifest>(row.digest);
    const config = await content<ImageConfig>(manifest.config.digest);
    const layerBytes = manifest.layers.map((layer) => layer.size);
    return {
      id: name,
      diffIds: config.rootfs?.diff_ids ?? [],
      layerBytes,
      sizeBytes: layerBytes.reduce((sum, bytes) => sum + bytes, 0),
      labels: config.config?.Labels ?? {},
    };
  };
  return {
    // "isobench.key=KEY" or "isobench": containerd's filter syntax for image labels.
    listImages: (label) => {
      const [key, value] = label.split('=');
      return list(value === undefined ? `labels."${key}"` : `labels."${key}"==${value}`);
    },
    imageLayers: layers,
    async loadImage(archive: Readable, timeoutMs: number) {
      const imported = parseImported(await ctr.runWithInput('import image', ['images', 'import', '-'], archive, timeoutMs));
      if (imported.length === 0) throw new EngineError('ctr images import reported no image');
      for (const name of imported) {
        const labels = (await layers(name)).labels;
        const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
        if (pairs.length > 0) await ctr.run('label image', ['images', 'label', name, ...pairs]);
      }
    },
  };
}
