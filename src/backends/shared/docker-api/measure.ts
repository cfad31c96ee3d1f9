// Memory and disk of running containers, measured after their writes: cgroup figures through the
// daemon, the shim's and the daemon's own memory from /proc, the writable layer from inspect.

import { stat } from 'node:fs/promises';
import type { FileWrite } from '../../../scenario/types.js';
import { cgroupMemory } from '../cgroup-memory.js';
import { daemonsOf, dockerdOf } from '../docker-daemons.js';
import { containerProcessMemory, sumMemory, type ProcessStat } from '../proc.js';
import type { EngineLocation } from '../docker-locate.js';
import type { DockerEngine } from './engine.js';

/** One container's measured memory and disk. */
export interface ContainerMeasure {
  service: string;
  id: string;
  /** cgroup memory.usage_in_bytes (v1) / memory.current (v2); null when the daemon reported none. */
  usageBytes: number | null;
  /** total_inactive_file (v1) / inactive_file (v2); null when memory.stat lacks it. */
  inactiveFileBytes: number | null;
  /** What `docker stats` shows: usage minus inactive file cache; null when either is unknown. */
  cliBytes: number | null;
  /** Anonymous memory (total_rss v1 / anon v2) and page cache (total_cache / file) in the cgroup; null when not reported. */
  anonBytes: number | null;
  cacheBytes: number | null;
  /** The containerd shim serving this container: PSS (its share) and RSS; null when not visible here. */
  shimPssBytes: number | null;
  shimRssBytes: number | null;
  /** The shim's unique set (Private_Clean + Private_Dirty); null when not visible here. */
  shimUssBytes: number | null;
  /** The container's own processes (its init and every descendant): PSS and USS sums; null when not visible here. */
  processPssBytes: number | null;
  processUssBytes: number | null;
  /** The writable layer after the writes (inspect SizeRw); null when the engine did not report it. */
  sizeRwBytes: number | null;
  /** Each scenario file as found in the writable layer (null when the upper dir is not visible). */
  files: { path: string; mode: FileWrite['mode']; upperBytes: number | null }[];
  /** Where memory.stat came from: the engine's stats, or cgroupfs here when the engine gave none (Podman 4.3); null: neither. */
  memoryStatFrom?: 'engine' | 'cgroupfs' | null;
}

/** The engine's own processes, paid once (dockerd + containerd, or Podman's API service). */
export interface DaemonMeasure {
  pssBytes: number;
  rssBytes: number;
  processes: string[];
}

/** Measures one container; `local` says whether the engine's /proc and upper dirs are readable here. */
export async function measureContainer(engine: DockerEngine, id: string, service: string, files: readonly FileWrite[], local: boolean, processes: readonly ProcessStat[]): Promise<ContainerMeasure> {
  const fromEngine = await engine.memory(id);
  const state = await engine.inspect(id, true);
  // Podman 4.3's compatible stats report usage and limit only: read the rest from the cgroup here.
  const cgroup = Object.keys(fromEngine.stat).length === 0 && local && state.pid > 0 ? await cgroupMemory(state.pid) : null;
  const memory = cgroup === null ? fromEngine : { ...fromEngine, usageBytes: fromEngine.usageBytes ?? cgroup.usageBytes, stat: cgroup.stat };
  const memoryStatFrom = Object.keys(fromEngine.stat).length > 0 ? 'engine' : cgroup !== null && Object.keys(cgroup.stat).length > 0 ? 'cgroupfs' : null;
  const inactiveFileBytes = memory.stat.total_inactive_file ?? memory.stat.inactive_file ?? null;
  // Docker's containerd-shim, or Podman's conmon.
  const own = local
    ? await containerProcessMemory(state.pid, processes, (comm) => comm.startsWith('containerd-shim') || comm === 'conmon')
    : { shimPssBytes: null, shimRssBytes: null, shimUssBytes: null, processPssBytes: null, processUssBytes: null };
  const upperDir = local ? state.upperDir : null;
  return {
    service,
    id,
    usageBytes: memory.usageBytes,
    inactiveFileBytes,
    cliBytes: memory.usageBytes === null || inactiveFileBytes === null ? null : Math.max(0, memory.usageBytes - inactiveFileBytes),
    anonBytes: memory.stat.total_rss ?? memory.stat.anon ?? null,
    cacheBytes: memory.stat.total_cache ?? memory.stat.file ?? null,
    ...own,
    sizeRwBytes: state.sizeRwBytes,
    files: await Promise.all(files.map(async (file) => ({ path: file.path, mode: file.mode, upperBytes: upperDir === null ? null : await fileBytes(`${upperDir}${file.path}`) }))),
    memoryStatFrom,
  };
}

/**
 * Every dockerd, and the containerd each started (else a system one, a child of init); never another
 * containerd on the machine, such as the one a containerd run starts. Pure.
 */
export function dockerDaemons(processes: readonly ProcessStat[]): ProcessStat[] {
  const dockerds = processes.filter((p) => p.comm === 'dockerd');
  const containerds = processes.filter((p) => p.comm === 'containerd');
  const started = containerds.filter((p) => dockerds.some((d) => d.pid === p.ppid));
  return [...dockerds, ...(started.length > 0 ? started : containerds.filter((p) => p.ppid === 1))];
}

/** The engine's own daemons: the dockerd listening on its socket and its containerd; every dockerd when none is found listening. */
export function engineDaemons(location: EngineLocation): DaemonPicker {
  return async (processes) => {
    const dockerd = location.kind === 'unix' ? await dockerdOf(location.socketPath, processes) : undefined;
    return dockerd === undefined ? dockerDaemons(processes) : daemonsOf(dockerd, processes);
  };
}

/** Picks the engine's own processes out of every process here. */
export type DaemonPicker = (processes: readonly ProcessStat[]) => ProcessStat[] | Promise<ProcessStat[]>;

/** The memory of the daemons `pick` chooses (engineDaemons, or Podman's service), or null when their processes are not visible here. */
export async function measureDaemon(processes: readonly ProcessStat[], pick: DaemonPicker): Promise<DaemonMeasure | null> {
  const daemons = await pick(processes);
  if (daemons.length === 0) return null;
  const memory = await sumMemory(daemons.map((p) => p.pid));
  return { pssBytes: memory.pssBytes, rssBytes: memory.rssBytes, processes: daemons.map((p) => `${p.comm}[${p.pid}]`) };
}

/** Bytes of a file in the upper dir: 0 when it is not there (nothing copied up), null when it cannot be read. */
async function fileBytes(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 0 : null;
  }
}
