// A process's memory as the host kernel accounts it: RSS, and PSS (shared pages split between
// their users) from /proc/PID/smaps_rollup.

import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  rssBytes: number;
  /** Null where smaps_rollup is unavailable (kernels before 4.14). */
  pssBytes: number | null;
  privateBytes: number | null;
}

/** Parses smaps_rollup text ("Rss:  123 kB" lines) into bytes. */
export function parseSmapsRollup(text: string): ProcessMemory | null {
  const field = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  const rss = field('Rss');
  if (rss === null) return null;
  const cleanPrivate = field('Private_Clean');
  const dirtyPrivate = field('Private_Dirty');
  return {
    rssBytes: rss,
    pssBytes: field('Pss'),
    privateBytes: cleanPrivate === null || dirtyPrivate === null ? null : cleanPrivate + dirtyPrivate,
  };
}

/** Reads a live process's memory; falls back to VmRSS from /proc/PID/status. Null once it has exited. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | null> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => null);
  const parsed = rollup === null ? null : parseSmapsRollup(rollup);
  if (parsed) return parsed;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const match = status === null ? null : /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match?.[1] === undefined ? null : { rssBytes: Number(match[1]) * 1024, pssBytes: null, privateBytes: null };
}

/**
 * RSS of the mappings exactly `sizeBytes` long in /proc/PID/smaps: for QEMU, the guest RAM block,
 * so its RSS is the guest memory the host really backs (pages the guest touched). Null if none.
 */
export function mappingRss(smaps: string, sizeBytes: number): number | null {
  let total: number | null = null;
  let current = false;
  for (const line of smaps.split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range?.[1] !== undefined && range[2] !== undefined) {
      current = BigInt(`0x${range[2]}`) - BigInt(`0x${range[1]}`) === BigInt(sizeBytes);
      continue;
    }
    const rss = current ? /^Rss:\s+(\d+) kB/.exec(line) : null;
    if (rss?.[1] !== undefined) total = (total ?? 0) + Number(rss[1]) * 1024;
  }
  return total;
}

/** Reads the RSS of a live process's mapping of the given size (see mappingRss). */
export async function readMappingRss(pid: number, sizeBytes: number): Promise<number | null> {
  const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8').catch(() => null);
  return smaps === null ? null : mappingRss(smaps, sizeBytes);
}
