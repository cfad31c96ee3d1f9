// Memory and disk of running containers on containerd, measured after their writes, from the host:
// the PSS of each container's processes and its shim (/proc smaps_rollup, as the docker backend
// counts them), its writable layer (the overlay upper dir, counted as Docker counts SizeRw), and
// containerd's own memory.

import { readFile, stat } from 'node:fs/promises';
import type { FileWrite } from '../../scenario/types.js';
import { apparentBytes } from '../shared/apparent-bytes.js';
import { containerProcessMemory, processMemory, type ContainerProcessMemory, type ProcessStat } from '../shared/proc.js';
import type { Ctr } from './ctr.js';
import { parseRootOverlay, parseSnapshotUsage, type RootOverlay } from './parse.js';

/** One container's measured memory and disk; null where it was not visible. */
export interface ContainerdMeasure extends ContainerProcessMemory {
  service: string;
  id: string;
  /** Apparent bytes of the regular files in the upper dir (each inode once; Docker's SizeRw definition). */
  upperBytes: number | null;
  /** `ctr snapshots usage`: the upper dir in disk blocks, as containerd reports it. */
  snapshotUsageBytes: number | null;
  /** The read-only layers under it, top first (their apparent bytes are measured once per run). */
  lowerDirs: string[];
  files: { path: string; mode: FileWrite['mode']; upperBytes: number | null }[];
}

/** Measures one container whose task's init is `pid`. */
export async function measureInstance(ctr: Ctr, id: string, pid: number, service: string, files: readonly FileWrite[], processes: readonly ProcessStat[]): Promise<ContainerdMeasure> {
  const memory = await containerProcessMemory(pid, processes, (comm) => comm.startsWith('containerd-shim'));
  const overlay: RootOverlay | null = pid > 0 ? parseRootOverlay(await readFile(`/proc/${pid}/mountinfo`, 'utf8').catch(() => '')) : null;
  const usage = parseSnapshotUsage(await ctr.run('snapshot usage', ['snapshots', 'usage', id]).catch(() => ''));
  return {
    service,
    id,
    ...memory,
    upperBytes: overlay === null ? null : await apparentBytes([overlay.upperDir]),
    snapshotUsageBytes: usage,
    lowerDirs: overlay?.lowerDirs ?? [],
    files: await Promise.all(files.map(async (file) => ({ path: file.path, mode: file.mode, upperBytes: overlay === null ? null : await fileBytes(`${overlay.upperDir}${file.path}`) }))),
  };
}

/** Apparent bytes of each distinct read-only layer the containers use (a layer shared by images counted once). */
export async function layerBytes(containers: readonly ContainerdMeasure[]): Promise<Map<string, number>> {
  const dirs = [...new Set(containers.flatMap((c) => c.lowerDirs))];
  return new Map(await Promise.all(dirs.map(async (dir) => [dir, await apparentBytes([dir])] as const)));
}

/** containerd's own memory (PSS and RSS), or null when its process is not visible. */
export async function daemonMemory(pid: number | null): Promise<{ pssBytes: number; rssBytes: number } | null> {
  if (pid === null) return null;
  const memory = await processMemory(pid);
  return memory === undefined ? null : { pssBytes: memory.pssBytes, rssBytes: memory.rssBytes };
}

/** Bytes of a file in the upper dir: 0 when it is not there (nothing copied up), null when it cannot be read. */
async function fileBytes(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 0 : null;
  }
}
