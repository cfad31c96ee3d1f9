// The app "installed" on the host for the process backend: each unique layer's bytes once, with the
// files the app writes into, and per instance a root whose image files are hard links to the install
// (processes share the host's files: a modify rewrites the shared file in place).

import { createWriteStream } from 'node:fs';
import { link, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import { randomBytes } from '../shared/random-bytes.js';
import { planImages } from '../shared/image-plan.js';
import { readBusybox } from '../shared/busybox.js';

const HOST_BUSYBOX_PATH = '/bin/busybox';

/**
 * Writes the install under `dir`, laid out as the docker backend's images are (the same layer plan:
 * busybox in the bottom layer, each scenario layer's bytes, the image files inside the layers), each
 * distinct layer once: install/<path>. Returns the bytes written.
 */
export async function installApp(dir: string, scenario: Scenario, signal: AbortSignal): Promise<number> {
  const busybox = await readBusybox(HOST_BUSYBOX_PATH);
  // fork-app is not copied: the host runs it from where setup-engines built it.
  const plans = planImages(scenario.services, { bytes: busybox.bytes.length, digest: busybox.digest });
  const done = new Set<string>();
  let bytes = 0;
  for (const layer of plans.flatMap((plan) => plan.layers)) {
    const key = JSON.stringify(layer);
    if (done.has(key)) continue;
    done.add(key);
    for (const file of layer.files) {
      const path = join(dir, file.path);
      if (file.kind === 'busybox') {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, busybox.bytes);
      } else if (file.kind === 'random') {
        await writeRandomFile(path, file.seed, file.size, signal);
      }
      bytes += file.size;
    }
  }
  return bytes;
}

/** Creates an instance root whose image files are hard links to the install's. */
export async function instanceRoot(installDir: string, root: string, service: ServiceSpec): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const file of service.app.files) await mkdir(dirname(join(root, file.path)), { recursive: true });
  for (const file of imageFiles(service)) {
    await link(join(installDir, file.path), join(root, file.path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

function imageFiles(service: ServiceSpec): { path: string; sizeBytes: number }[] {
  const seen = new Map<string, { path: string; sizeBytes: number }>();
  for (const file of service.app.files) {
    if (file.mode !== 'create' && !seen.has(file.path)) seen.set(file.path, { path: file.path, sizeBytes: file.sizeBytes });
  }
  return [...seen.values()];
}

async function writeRandomFile(path: string, seed: string, size: number, signal: AbortSignal): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(randomBytes(seed, size)), createWriteStream(path), { signal });
  return size;
}
