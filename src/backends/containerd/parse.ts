// Reading what `ctr` prints: version, task and container lists, the event stream, and the overlay
// mount of a container's root in /proc/PID/mountinfo. Pure: text in, data out.

/** containerd's version from `ctr version` ("Server:" section), or null when it is not there. */
export function parseServerVersion(text: string): string | null {
  const server = text.split(/^Server:\s*$/m)[1];
  return server === undefined ? null : (/^\s*Version:\s*(\S+)/m.exec(server)?.[1] ?? null);
}

/** One row of `ctr tasks ls`. */
export interface TaskRow {
  id: string;
  pid: number;
  status: string;
}

/** Parses `ctr tasks ls` (header TASK PID STATUS, then one row per task). */
export function parseTasks(text: string): TaskRow[] {
  return rows(text, 'TASK').flatMap(([id, pid, status]) => (id === undefined || pid === undefined ? [] : [{ id, pid: Number(pid), status: status ?? '' }]));
}

/** The ids `ctr containers ls -q` (or `ctr images ls -q`) prints, one a line. */
export function parseIds(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** One event of `ctr events`: what happened to which container. */
export type ContainerEvent =
  | { topic: '/tasks/exit'; containerId: string; exitStatus: number }
  | { topic: '/tasks/oom'; containerId: string }
  | { topic: '/tasks/start'; containerId: string; pid: number };

/**
 * Parses one line of `ctr events` ("<date> <time> <zone> UTC <namespace> <topic> <json>"); other
 * topics and the exits of a task's exec'd processes (id differs from container_id) give undefined.
 */
export function parseEvent(line: string): ContainerEvent | undefined {
  const match = /\s(\/tasks\/(?:exit|oom|start))\s+(\{.*\})\s*$/.exec(line);
  if (match === null) return undefined;
  let body: { container_id?: string; id?: string; exit_status?: number; pid?: number };
  try {
    body = JSON.parse(match[2]!);
  } catch {
    return undefined;
  }
  const containerId = body.container_id;
  if (containerId === undefined) return undefined;
  switch (match[1]) {
    case '/tasks/exit':
      return body.id === undefined || body.id === containerId ? { topic: '/tasks/exit', containerId, exitStatus: body.exit_status ?? 0 } : undefined;
    case '/tasks/oom':
      return { topic: '/tasks/oom', containerId };
    default:
      return { topic: '/tasks/start', containerId, pid: body.pid ?? 0 };
  }
}

/** The overlay dirs of a container's root filesystem. */
export interface RootOverlay {
  upperDir: string;
  /** Top layer first, as overlayfs lists them. */
  lowerDirs: string[];
}

/** The overlay behind "/" in a /proc/PID/mountinfo text, or null when the root is not an overlay. */
export function parseRootOverlay(mountinfo: string): RootOverlay | null {
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined || before.split(' ')[4] !== '/') continue;
    const [fstype, , superOptions] = after.split(' ');
    if (fstype !== 'overlay' || superOptions === undefined) continue;
    const option = (name: string): string | undefined =>
      superOptions
        .split(',')
        .find((o) => o.startsWith(`${name}=`))
        ?.slice(name.length + 1);
    const upperDir = option('upperdir');
    const lower = option('lowerdir');
    if (upperDir === undefined || lower === undefined) return null;
    return { upperDir, lowerDirs: lower.split(':') };
  }
  return null;
}

/** Parses `ctr snapshots usage KEY` (header KEY SIZE INODES): the size as containerd counts it (disk blocks), in bytes. */
export function parseSnapshotUsage(text: string): number | null {
  const row = rows(text, 'KEY')[0];
  if (row === undefined || row.length < 4) return null;
  return sizeBytes(`${row[1]} ${row[2]}`);
}

/** "20.0 KiB" / "1.9 MiB" / "512 B" (go-units binary sizes, as ctr prints them) in bytes; null when not a size. */
export function sizeBytes(text: string): number | null {
  const match = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)$/.exec(text.trim());
  if (match === null) return null;
  const power = ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(match[2]!);
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** Table rows after the header line that starts with `first`, split on runs of spaces. */
function rows(text: string, first: string): string[][] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines.findIndex((line) => line.startsWith(first));
  if (header === -1) return [];
  return lines.slice(header + 1).map((line) => line.trim().split(/\s+/));
}

/** One row of `ctr images ls`: the image's name and the digest of its manifest. */
export interface ImageRow {
  ref: string;
  digest: string;
  labels: Record<string, string>;
}

/** Parses `ctr images ls` (REF TYPE DIGEST SIZE(2 words) PLATFORMS LABELS; LABELS "-" or k=v,k=v). */
export function parseImages(text: string): ImageRow[] {
  return rows(text, 'REF').flatMap((row) => {
    const [ref, , digest] = row;
    if (ref === undefined || digest === undefined || !digest.startsWith('sha256:')) return [];
    const labelText = row.length >= 7 ? row.slice(6).join(' ') : '-';
    const labels: Record<string, string> = {};
    if (labelText !== '-') {
      for (const pair of labelText.split(',')) {
        const at = pair.indexOf('=');
        if (at > 0) labels[pair.slice(0, at)] = pair.slice(at + 1);
      }
    }
    return [{ ref, digest, labels }];
  });
}

/** The names `ctr images import` reports ("unpacking docker.io/x/y:tag (sha256:...)...done"). */
export function parseImported(text: string): string[] {
  return [...text.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)].map((match) => match[1]!);
}

/** A Docker-style reference as containerd names it: "isobench/web:1" -> "docker.io/isobench/web:1". Pure. */
export function normalizeRef(ref: string): string {
  const first = ref.split('/')[0]!;
  const hasDomain = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const named = hasDomain ? ref : ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  return named.includes('@') || /:[^/]+$/.test(named) ? named : `${named}:latest`;
}
