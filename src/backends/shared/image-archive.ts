// Streams an image plan as a `docker save` archive (layer tars, config, manifest) for `docker load`:
// no registry and no build container needed, and the layer bytes are exactly the plan's.

import { createHash, type Hash } from 'node:crypto';
import { randomBytes } from './random-bytes.js';
import type { ImagePlan, LayerFile, LayerPlan } from './image-plan.js';
import { FIXED_MTIME, archiveBytes, endOfArchive, padding, tarHeader, type TarEntryHeader } from './tar.js';

/** The tar entries of one layer, in a fixed order: directories, symlinks, files. */
export function layerEntries(layer: LayerPlan): TarEntryHeader[] {
  return [
    ...layer.dirs.map((path): TarEntryHeader => ({ type: 'dir', path })),
    ...layer.symlinks.map((link): TarEntryHeader => ({ type: 'symlink', path: link.path, target: link.target })),
    ...layer.files.map((file): TarEntryHeader => ({ type: 'file', path: file.path, size: file.size, mode: file.kind === 'random' ? 0o644 : 0o755 })),
  ];
}

/** The host binaries a plan copies into images: busybox always, fork-app when a service forks. */
export interface ImageBinaries {
  busybox: Buffer;
  forkApp?: Buffer;
}

/** The bytes of one layer tar. */
function* layerTar(layer: LayerPlan, binaries: ImageBinaries): Generator<Buffer> {
  for (const entry of layerEntries(layer)) {
    yield tarHeader(entry);
    if (entry.type !== 'file') continue;
    const file = layer.files.find((f) => f.path === entry.path)!;
    yield* fileContent(file, binaries);
    yield padding(file.size);
  }
  yield endOfArchive();
}

function* fileContent(file: LayerFile, binaries: ImageBinaries): Generator<Buffer> {
  if (file.kind !== 'random') {
    const bytes = file.kind === 'busybox' ? binaries.busybox : binaries.forkApp;
    if (bytes === undefined || bytes.length !== file.size) throw new Error(`${file.kind} changed size while building (${bytes?.length ?? 'missing'} != ${file.size})`);
    yield bytes;
    return;
  }
  yield* randomBytes(file.seed, file.size);
}

/**
 * The whole archive: each layer as <n>/layer.tar (hashed while streamed, giving its DiffID), then the
 * image config (with `labels`) and manifest.json. `docker load` unpacks the archive before reading the
 * manifest, so the manifest can come last.
 */
export async function* imageArchive(plan: ImagePlan, binaries: ImageBinaries, labels: Record<string, string>): AsyncGenerator<Buffer> {
  const diffIds: string[] = [];
  const layerPaths: string[] = [];
  for (const [index, layer] of plan.layers.entries()) {
    const path = `layer${index}/layer.tar`;
    yield tarHeader({ type: 'dir', path: `layer${index}` });
    const size = archiveBytes(layerEntries(layer));
    yield tarHeader({ type: 'file', path, size });
    const hash: Hash = createHash('sha256');
    let written = 0;
    for (const chunk of layerTar(layer, binaries)) {
      hash.update(chunk);
      written += chunk.length;
      yield chunk;
    }
    if (written !== size) throw new Error(`layer ${layer.id}: wrote ${written} bytes, header said ${size}`);
    yield padding(size);
    diffIds.push(`sha256:${hash.digest('hex')}`);
    layerPaths.push(path);
  }
  const created = new Date(FIXED_MTIME * 1000).toISOString();
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'x64' ? 'amd64' : process.arch,
      os: 'linux',
      created,
      config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'], Labels: labels },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: plan.layers.map((layer) => ({
        created,
        created_by: `isobench layer ${layer.id} (${layer.contentBytes} bytes${layer.added ? ', added by isobench' : ''})`,
      })),
    }),
  );
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  yield* smallFile(configName, config);
  yield* smallFile('manifest.json', Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [plan.tag], Layers: layerPaths }])));
  yield endOfArchive();
}

function* smallFile(path: string, content: Buffer): Generator<Buffer> {
  yield tarHeader({ type: 'file', path, size: content.length });
  yield content;
  yield padding(content.length);
}
