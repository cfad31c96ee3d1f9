// Which processes on this machine are a node's daemons: the dockerd listening on the node's unix
// socket (found through /proc/net/unix and the daemons' open sockets) and the containerd it started,
// else a system one. Several dockerds can run here (scripts/swarm-nodes.sh), and other tools start
// their own containerd: neither may land in another node's figure.

import { readdir, readlink, readFile, realpath } from 'node:fs/promises';
import type { ProcessStat } from './proc.js';

/** Inode and path of every listening unix socket with a path in /proc/net/unix text. Pure. */
export function parseUnixListeners(text: string): { inode: number; path: string }[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      // Num RefCount Protocol Flags Type St Inode Path; flag 0x10000 is __SO_ACCEPTCON (listening).
      const fields = line.trim().split(/\s+/);
      if (fields.length < 8 || (Number.parseInt(fields[3] ?? '0', 16) & 0x10000) === 0) return [];
      return [{ inode: Number(fields[6]), path: fields.slice(7).join(' ') }];
    });
}

/** The dockerd and the containerd it uses: its child, else a system one (a child of init). Pure. */
export function daemonsOf(dockerd: ProcessStat, processes: readonly ProcessStat[]): ProcessStat[] {
  const containerds = processes.filter((p) => p.comm === 'containerd');
  const child = containerds.filter((p) => p.ppid === dockerd.pid);
  return [dockerd, ...(child.length > 0 ? child : containerds.filter((p) => p.ppid === 1))];
}

/** The dockerd listening on `socketPath`, or undefined when none of this machine's dockerds does. */
export async function dockerdOf(socketPath: string, processes: readonly ProcessStat[]): Promise<ProcessStat | undefined> {
  const wanted = await realpath(socketPath).catch(() => socketPath);
  const listeners = parseUnixListeners(await readFile('/proc/net/unix', 'utf8').catch(() => ''));
  const inodes = new Set<number>();
  for (const l of listeners) {
    if (l.path === socketPath || (await realpath(l.path).catch(() => l.path)) === wanted) inodes.add(l.inode);
  }
  if (inodes.size === 0) return undefined;
  for (const dockerd of processes.filter((p) => p.comm === 'dockerd')) {
    const fds = await readdir(`/proc/${dockerd.pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${dockerd.pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(Number(inode))) return dockerd;
    }
  }
  return undefined;
}
