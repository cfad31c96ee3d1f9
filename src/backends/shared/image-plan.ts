// Which bytes go into which image layer, decided before anything is built. Pure: the same scenario
// always gives the same plan, and the same layer id and size always give byte-identical layers.

import { createHash } from 'node:crypto';
import type { ServiceSpec } from '../../scenario/types.js';

/** Bumped whenever the layer format changes, so stale cached images are never reused. */
export const IMAGE_FORMAT = 2;

export type LayerFile =
  /** The host's static busybox, at bin/busybox in the bottom layer. */
  | { kind: 'busybox'; path: string; size: number }
  /** fork-app (see fork-app.ts), at isobench/fork-app in the bottom layer when a service forks workers. */
  | { kind: 'fork-app'; path: string; size: number }
  /** Incompressible bytes from a PRNG seeded by `seed`: same seed and size, same bytes. */
  | { kind: 'random'; path: string; size: number; seed: string };

export interface LayerPlan {
  /** The scenario's layer id, or "<service>-files" / "isobench-busybox" for a layer isobench adds. */
  id: string;
  /** Bytes the scenario gives this layer (0 for an added layer). */
  scenarioBytes: number;
  /** Bytes of file content actually in the layer. */
  contentBytes: number;
  /** True when the scenario does not have this layer: isobench had to add it. */
  added: boolean;
  dirs: string[];
  symlinks: { path: string; target: string }[];
  files: LayerFile[];
}

export interface ImagePlan {
  service: string;
  /** Hash of the layer plan: the cache key (label isobench.key). */
  key: string;
  /** Local tag, e.g. isobench/api:3f2a9c1b0d4e. */
  tag: string;
  layers: LayerPlan[];
  /** Where the built image differs from the scenario, for the report. */
  notes: string[];
}

/** Applets linked in the bottom layer: sh for the app, true for `docker run IMAGE true`. */
const APPLET_LINKS = ['sh', 'true'];

/** Where fork-app sits in a built image. */
export const IMAGE_FORK_APP = '/isobench/fork-app';

/** A host binary copied into every built image's bottom layer: its size and digest (part of the key). */
export interface HostBinary {
  bytes: number;
  digest: string;
}

/**
 * Plans one image per service that has no `image.ref`. `busybox` describes the host's busybox;
 * `forkApp`, when given, goes into every built image's bottom layer too (bottom layers shared by id
 * must hold the same bytes in every image, so it is all or none).
 */
export function planImages(services: readonly ServiceSpec[], busybox: HostBinary, forkApp?: HostBinary): ImagePlan[] {
  const built = services.filter((service) => service.image.ref === undefined);
  return built.map((service) => planImage(service, topLayerFiles(service, built), busybox, forkApp));
}

/**
 * The image files to carve into the service's top layer, or undefined when they need a layer of
 * their own. A top layer may hold them when every service using that layer id has it on top and
 * their files agree (same path, same size): then every image gets the same bytes for that id.
 */
function topLayerFiles(service: ServiceSpec, services: readonly ServiceSpec[]): ImageFile[] | undefined {
  const top = service.image.layers[service.image.layers.length - 1];
  if (top === undefined) return undefined;
  const users = services.filter((s) => s.image.layers.some((layer) => layer.id === top.id));
  if (users.some((s) => s.image.layers[s.image.layers.length - 1]?.id !== top.id || s.image.layers.filter((l) => l.id === top.id).length > 1)) {
    return undefined;
  }
  const union = new Map<string, ImageFile>();
  for (const user of users) {
    for (const file of imageFilesOf(user)) {
      const known = union.get(file.path);
      if (known !== undefined && (known.size !== file.size || known.exists !== file.exists)) {
        if (known.exists && file.exists) return undefined;
        union.set(file.path, { ...known, exists: known.exists || file.exists, size: known.exists ? known.size : file.size });
        continue;
      }
      union.set(file.path, file);
    }
  }
  return [...union.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

function planImage(service: ServiceSpec, carved: ImageFile[] | undefined, busybox: HostBinary, forkApp: HostBinary | undefined): ImagePlan {
  const busyboxBytes = busybox.bytes;
  const notes: string[] = [];
  const scenarioLayers = service.image.layers.map((layer) => ({ id: layer.id, bytes: layer.sizeBytes, added: false }));
  if (scenarioLayers.length === 0) {
    scenarioLayers.push({ id: 'isobench-busybox', bytes: 0, added: true });
    notes.push(`${service.name}: the scenario gives no layers; a busybox layer (${busyboxBytes} bytes) was added`);
  }
  const imageFiles = imageFilesOf(service);
  const layers: LayerPlan[] = scenarioLayers.map((layer, index) => {
    const plan = emptyLayer(layer.id, layer.bytes, layer.added);
    if (index === 0) {
      plan.dirs.push('bin');
      plan.files.push({ kind: 'busybox', path: 'bin/busybox', size: busyboxBytes });
      for (const applet of APPLET_LINKS) plan.symlinks.push({ path: `bin/${applet}`, target: 'busybox' });
      if (forkApp !== undefined) {
        if (!plan.dirs.includes('isobench')) plan.dirs.push('isobench');
        plan.files.push({ kind: 'fork-app', path: IMAGE_FORK_APP.slice(1), size: forkApp.bytes });
      }
      if (layer.bytes < busyboxBytes && !layer.added) {
        notes.push(`${service.name}: layer ${layer.id} (${layer.bytes} bytes) is smaller than busybox (${busyboxBytes} bytes), which it holds`);
      }
    }
    if (index === scenarioLayers.length - 1 && carved !== undefined) addImageFiles(plan, carved, service.name, notes);
    fill(plan);
    return plan;
  });
  if (carved === undefined && service.app.files.length > 0) {
    const extra = emptyLayer(`${service.name}-files`, 0, true);
    addImageFiles(extra, imageFiles, service.name, notes);
    fill(extra);
    if (extra.contentBytes > 0) {
      notes.push(`${service.name}: the files it writes into (${extra.contentBytes} bytes) are in an added top layer, since its top layer is shared with images that differ`);
    }
    layers.push(extra);
  }
  const key = createHash('sha256')
    .update(JSON.stringify({ format: IMAGE_FORMAT, busyboxDigest: busybox.digest, ...(forkApp === undefined ? {} : { forkAppDigest: forkApp.digest }), layers }))
    .digest('hex');
  return { service: service.name, key, tag: `isobench/${tagSafe(service.name)}:${key.slice(0, 12)}`, layers, notes };
}

interface ImageFile {
  path: string;
  size: number;
  /** False for files the app creates: only their directories go into the image. */
  exists: boolean;
}

/** Files that must exist in the image (modify, append, overwrite) and directories for new ones. */
function imageFilesOf(service: ServiceSpec): ImageFile[] {
  const seen = new Map<string, ImageFile>();
  for (const file of service.app.files) {
    const path = relative(file.path);
    if (seen.has(path)) continue;
    seen.set(path, { path, size: file.sizeBytes, exists: file.mode !== 'create' });
  }
  return [...seen.values()];
}

function addImageFiles(plan: LayerPlan, files: ImageFile[], service: string, notes: string[]): void {
  for (const file of files) {
    for (const dir of parentDirs(file.path)) if (!plan.dirs.includes(dir)) plan.dirs.push(dir);
    if (file.exists) plan.files.push({ kind: 'random', path: file.path, size: file.size, seed: `file:${file.path}:${file.size}` });
  }
  const fileBytes = plan.files.reduce((sum, file) => sum + file.size, 0);
  if (!plan.added && fileBytes > plan.scenarioBytes) {
    notes.push(`${service}: layer ${plan.id} (${plan.scenarioBytes} bytes) holds ${fileBytes} bytes of image files, so it is larger than the scenario says`);
  }
}

function emptyLayer(id: string, scenarioBytes: number, added: boolean): LayerPlan {
  return { id, scenarioBytes, contentBytes: 0, added, dirs: [], symlinks: [], files: [] };
}

/** Fills the layer with random bytes up to its scenario size, then sorts entries so order is fixed. */
function fill(plan: LayerPlan): void {
  const used = plan.files.reduce((sum, file) => sum + file.size, 0);
  const filler = plan.scenarioBytes - used;
  if (filler > 0) {
    plan.dirs.push('isobench', 'isobench/layers');
    plan.files.push({ kind: 'random', path: `isobench/layers/${fileSafe(plan.id)}.bin`, size: filler, seed: `layer:${plan.id}:${plan.scenarioBytes}` });
  }
  plan.dirs = [...new Set(plan.dirs)].sort();
  plan.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  plan.contentBytes = plan.files.reduce((sum, file) => sum + file.size, 0);
}

function relative(path: string): string {
  return path.replace(/^\/+/, '');
}

function parentDirs(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/')).filter((dir) => dir !== '');
}

function tagSafe(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'service'
  );
}

function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
