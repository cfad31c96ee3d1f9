// The app "installed" on the host for the process backend: each unique layer's bytes once, the
// files the app writes into, and per instance a root whose image files are hard links to the install
// (processes share the host's files: a modify rewrites the shared file in place).

import { createWriteStream } from 'node:fs';
import { link, lstat, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import { randomBytes } from '../docker/image-archive.js';

/** Writes the install under `dir`: layers/<id>.bin and files/<service>/<path>. Returns bytes written. */
export async function installApp(dir: string, scenario: Scenario, signal: AbortSignal): Promise<number> {
  let bytes = 0;
  const seen = new Set<string>();
  for (const service of scenario.services) {
    for (const layer of service.image.layers) {
      if (seen.has(layer.id)) continue;
      seen.add(layer.id);
      bytes += await writeRandomFile(join(dir, 'layers', `${layer.id.replace(/[^A-Za-z0-9._-]/g, '_')}.bin`), `layer:${layer.id}:${layer.sizeBytes}`, layer.sizeBytes, signal);
    }
    for (const file of imageFiles(service)) {
      bytes += await writeRandomFile(join(dir, 'files', service.name, file.path), `file:${service.name}:${file.path}:${file.sizeBytes}`, file.sizeBytes, signal);
    }
  }
  return bytes;
}

/** Creates an instance root whose image files are hard links to the install's. */
export async function instanceRoot(installDir: string, root: string, service: ServiceSpec): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const file of service.app.files) await mkdir(dirname(join(root, file.path)), { recursive: true });
  for (const file of imageFiles(service)) {
    await link(join(installDir, 'files', service.name, file.path), join(root, file.path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Apparent bytes of the regular files under the given dirs, each inode counted once (as Docker's SizeRw counts). */
export async function apparentBytes(dirs: readonly string[]): Promise<number> {
  const inodes = new Map<string, number>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const stat = await lstat(path);
        inodes.set(`${stat.dev}:${stat.ino}`, stat.size);
      }
    }
  };
  for (const dir of dirs) await walk(dir);
  return [...inodes.values()].reduce((sum, size) => sum + size, 0);
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
