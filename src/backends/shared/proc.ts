// Reading processes' memory from Linux /proc: smaps_rollup for RSS and PSS, stat for parents and groups.

import { readdir, readFile } from 'node:fs/promises';

/** One process's memory in bytes, from /proc/PID/smaps_rollup. */
export interface ProcessMemory {
  pid: number;
  rssBytes: number;
  /** Proportional set size: shared pages split among their sharers; sums to the real total. */
  pssBytes: number;
  /** Pages only this process maps (Private_Clean + Private_Dirty): what it alone costs. */
  privateBytes: number;
}

/** Parses smaps_rollup text ("Rss:  1234 kB" lines) into bytes. Pure. */
export function parseSmapsRollup(pid: number, text: string): ProcessMemory {
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return {
    pid,
    rssBytes: kib('Rss'),
    pssBytes: kib('Pss'),
    privateBytes: kib('Private_Clean') + kib('Private_Dirty'),
  };
}

/** Memory of one process, or undefined when it is gone or unreadable. */
export async function processMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    return parseSmapsRollup(pid, await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The fields of /proc/PID/stat isobench needs. */
export interface ProcessStat {
  pid: number;
  comm: string;
  ppid: number;
  pgrp: number;
}

/** Parses /proc/PID/stat; the command name may hold spaces and parentheses, so split after the last ")". Pure. */
export function parseStat(text: string): ProcessStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: Number(rest[1]), pgrp: Number(rest[2]) };
}

/** Every process visible in /proc (those that vanish while reading are skipped). */
export async function listProcesses(): Promise<ProcessStat[]> {
  const entries = await readdir('/proc');
  const stats = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          return parseStat(await readFile(`/proc/${name}/stat`, 'utf8'));
        } catch {
          return undefined;
        }
      }),
  );
  return stats.filter((stat): stat is ProcessStat => stat !== undefined);
}

/** Sum of the memory of several processes (those that are gone count zero). */
export async function sumMemory(pids: readonly number[]): Promise<{ rssBytes: number; pssBytes: number; privateBytes: number; count: number }> {
  const memories = (await Promise.all(pids.map(processMemory))).filter((m): m is ProcessMemory => m !== undefined);
  return {
    rssBytes: memories.reduce((sum, m) => sum + m.rssBytes, 0),
    pssBytes: memories.reduce((sum, m) => sum + m.pssBytes, 0),
    privateBytes: memories.reduce((sum, m) => sum + m.privateBytes, 0),
    count: memories.length,
  };
}

/** `pid` and every process below it (a forking app's workers among them). Pure. */
export function descendants(pid: number, processes: readonly ProcessStat[]): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i += 1) for (const p of processes) if (p.ppid === found[i]) found.push(p.pid);
  return found;
}

/** A container's memory as this host sees it: its own processes, and the monitor (shim) that is their parent. Null: not visible. */
export interface ContainerProcessMemory {
  shimPssBytes: number | null;
  shimRssBytes: number | null;
  /** The shim's unique set (Private_Clean + Private_Dirty). */
  shimUssBytes: number | null;
  /** The container's init and every descendant: PSS and USS sums. */
  processPssBytes: number | null;
  processUssBytes: number | null;
}

/**
 * Memory of the container whose init is `initPid`: the PSS/USS of its process tree, and of its parent
 * when `isShim(comm)` says that parent is the container's monitor (containerd-shim, conmon).
 */
export async function containerProcessMemory(initPid: number, processes: readonly ProcessStat[], isShim: (comm: string) => boolean): Promise<ContainerProcessMemory> {
  const memory: ContainerProcessMemory = { shimPssBytes: null, shimRssBytes: null, shimUssBytes: null, processPssBytes: null, processUssBytes: null };
  if (initPid <= 0) return memory;
  const shim = processes.find((p) => p.pid === processes.find((q) => q.pid === initPid)?.ppid);
  if (shim !== undefined && isShim(shim.comm)) {
    const shimMemory = await processMemory(shim.pid);
    memory.shimPssBytes = shimMemory?.pssBytes ?? null;
    memory.shimRssBytes = shimMemory?.rssBytes ?? null;
    memory.shimUssBytes = shimMemory?.privateBytes ?? null;
  }
  const own = await sumMemory(descendants(initPid, processes));
  if (own.count > 0) {
    memory.processPssBytes = own.pssBytes;
    memory.processUssBytes = own.privateBytes;
  }
  return memory;
}
