// Guest disks: a base image (raw, ext4, every block allocated, holding the files the scenario
// modifies), per-guest clones (a qcow2 overlay on it, or a full copy), and what each holds after.

import { execFile } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { EngineError } from '../../errors.js';
import type { CloneKind, FileWrite } from '../../scenario/types.js';
import type { QemuEngine } from './engine.js';
import { guestPath } from './init-script.js';

const run = promisify(execFile);
const MiB = 1024 ** 2;
/** ext4 needs room for its journal and tables: the base is never made smaller than this. */
export const MIN_BASE_BYTES = 32 * MiB;

/** A base image built for a run. */
export interface BaseImage {
  file: string;
  sizeBytes: number;
  /** Bytes the host file system allocated for it (st_blocks x 512). */
  allocatedBytes: number;
  /** Why the size differs from the scenario's, if it does. */
  note: string | null;
}

/** Size the base must have: the scenario's image size, or enough for ext4 plus the files it holds. */
export function baseImageBytes(imageBytes: number, files: readonly FileWrite[]): { bytes: number; note: string | null } {
  const held = files.reduce((sum, file) => sum + (file.mode === 'create' ? 0 : file.sizeBytes) + file.writeBytes, 0);
  const needed = Math.max(MIN_BASE_BYTES, Math.ceil((held * 1.2 + 16 * MiB) / MiB) * MiB);
  const rounded = Math.ceil(imageBytes / MiB) * MiB;
  if (rounded >= needed) return { bytes: rounded, note: null };
  return { bytes: needed, note: `base image enlarged from ${imageBytes} B to ${needed} B: ext4 and the scenario's files need that much` };
}

/**
 * Builds the base: fallocate (so every block is really stored, like an OS image's content), then
 * mkfs.ext4 with 4 KiB blocks, inode tables initialised now (no lazy init writing into every
 * overlay), no discard, and the files the scenario modifies/appends/overwrites already in place.
 */
export async function makeBaseImage(engine: QemuEngine, dir: string, imageBytes: number, files: readonly FileWrite[]): Promise<BaseImage> {
  const { bytes, note } = baseImageBytes(imageBytes, files);
  const staging = path.join(dir, 'base-root');
  await mkdir(staging, { recursive: true });
  for (const file of files) {
    if (file.mode === 'create' || file.sizeBytes === 0) continue;
    const target = path.join(staging, guestPath(file.path).slice('/mnt/'.length));
    await mkdir(path.dirname(target), { recursive: true });
    // Non-zero bytes: mke2fs -d leaves all-zero blocks as holes.
    await writeFile(target, Buffer.alloc(file.sizeBytes, 0xa5));
  }
  const file = path.join(dir, 'base.raw');
  await tool('fallocate', ['-l', String(bytes), file]);
  await tool(engine.mkfs, ['-q', '-F', '-t', 'ext4', '-b', '4096', '-E', 'lazy_itable_init=0,lazy_journal_init=0,nodiscard', '-d', staging, file]);
  // Drop the base from the host page cache so what the guests read shows in fincore.
  await dropFromPageCache(file);
  return { file, sizeBytes: bytes, allocatedBytes: await allocatedBytes(file), note };
}

/** A guest's disk just made: its file, its size before boot, how long making it took. */
export interface Clone {
  kind: CloneKind;
  file: string;
  format: 'qcow2' | 'raw';
  createMs: number;
  initialBytes: number;
}

/** A linked clone (qcow2 overlay backed by the raw base) or a full copy of the base. */
export async function cloneDisk(engine: QemuEngine, kind: CloneKind, base: string, file: string): Promise<Clone> {
  const t0 = performance.now();
  if (kind === 'linked') {
    await tool(engine.qemuImg, ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'raw', file]);
  } else {
    await tool('cp', ['--sparse=never', base, file]);
    // The copy read the whole base through the page cache; drop it so the cache shows what guests read.
    await dropFromPageCache(base);
  }
  const createMs = performance.now() - t0;
  return { kind, file, format: kind === 'linked' ? 'qcow2' : 'raw', createMs, initialBytes: await allocatedBytes(file) };
}

/** What a clone holds after its guest shut down. */
export interface DiskUsage {
  /** Size of the disk file on the host: qemu-img actual-size (overlay) or allocated blocks (copy). */
  bytes: number;
  /** Overlay only: cluster size and the clusters the guest's writes allocated in the overlay. */
  clusterBytes: number | null;
  clustersAllocated: number | null;
}

/** Measures a clone (after its guest exited). */
export async function measureDisk(engine: QemuEngine, clone: Clone): Promise<DiskUsage> {
  if (clone.kind === 'full') return { bytes: await allocatedBytes(clone.file), clusterBytes: null, clustersAllocated: null };
  const info = JSON.parse((await tool(engine.qemuImg, ['info', '--output=json', '-U', clone.file])).stdout) as {
    'actual-size'?: number;
    'cluster-size'?: number;
  };
  const map = JSON.parse((await tool(engine.qemuImg, ['map', '--output=json', '-U', clone.file])).stdout) as {
    length: number;
    depth: number;
    data: boolean;
    present?: boolean;
  }[];
  const clusterBytes = info['cluster-size'] ?? 65536;
  const overlayBytes = map.filter((extent) => extent.depth === 0 && (extent.present ?? extent.data)).reduce((sum, extent) => sum + extent.length, 0);
  return {
    bytes: info['actual-size'] ?? (await allocatedBytes(clone.file)),
    clusterBytes,
    clustersAllocated: Math.ceil(overlayBytes / clusterBytes),
  };
}

/** Bytes of the given files held in the host page cache (fincore), or null when fincore is missing. */
export async function pageCacheBytes(files: string[]): Promise<Map<string, number> | null> {
  const result = await tool('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'RES,FILE', ...files]).catch(() => null);
  if (result === null) return null;
  const bytes = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(\d+)\s+(.+)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) bytes.set(match[2], Number(match[1]));
  }
  return bytes;
}

/** Drops a file's clean pages from the host page cache (dd's nocache: posix_fadvise DONTNEED). Best effort. */
async function dropFromPageCache(file: string): Promise<void> {
  await tool('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']).catch(() => undefined);
}

/** st_blocks x 512: what the file really occupies. */
export async function allocatedBytes(file: string): Promise<number> {
  return (await stat(file)).blocks * 512;
}

async function tool(command: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await run(command, args, { maxBuffer: 64 * MiB });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new EngineError(`${path.basename(command)} ${args[0] ?? ''} failed${stderr ? `: ${stderr.split('\n').slice(-1)[0]}` : ''}`, { cause: error });
  }
}
