// A process's memory cgroup read straight from cgroupfs: for engines whose stats API leaves out
// memory.stat (Podman 4.3's Docker-compatible stats give only usage and limit).

import { readFile } from 'node:fs/promises';

/** The memory cgroup's directory under /sys/fs/cgroup for a /proc/PID/cgroup text (v1 "N:memory:/p", else v2 "0::/p"), or null. Pure. */
export function memoryCgroupDir(procCgroup: string, root = '/sys/fs/cgroup'): string | null {
  const lines = procCgroup.split('\n');
  const v1 = lines.map((line) => /^\d+:([^:]*):(.*)$/.exec(line)).find((m) => m !== null && m[1]!.split(',').includes('memory'));
  if (v1) return `${root}/memory${v1[2] === '/' ? '' : v1[2]}`;
  const v2 = lines.map((line) => /^0::(.*)$/.exec(line)).find((m) => m !== null);
  return v2 ? `${root}${v2[1] === '/' ? '' : v2[1]}` : null;
}

/** memory.stat ("key value" lines) as numbers. Pure. */
export function parseMemoryStat(text: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) stat[key] = Number(value);
  }
  return stat;
}

/** The memory cgroup of process `pid`: usage (v1 memory.usage_in_bytes, v2 memory.current) and memory.stat; null when unreadable. */
export async function cgroupMemory(pid: number): Promise<{ usageBytes: number | null; stat: Record<string, number> } | null> {
  try {
    const dir = memoryCgroupDir(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
    if (dir === null) return null;
    const stat = parseMemoryStat(await readFile(`${dir}/memory.stat`, 'utf8'));
    const usage = await readFile(`${dir}/memory.usage_in_bytes`, 'utf8').catch(() => readFile(`${dir}/memory.current`, 'utf8'));
    return { usageBytes: /^\d+/.test(usage.trim()) ? Number(usage.trim()) : null, stat };
  } catch {
    return null;
  }
}
