// Removing what isobench left on its own containerds: a run's containers, tasks and images, the
// daemon itself, stray shims, mounts and the folder. A folder whose owner process died (a killed
// run) is torn down by the next run or `isobench clean`; a live run's folder only with includeLive.

import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ctr } from './ctr.js';
import { DAEMON_PREFIX, daemonPaths, folderOwnerAlive, killStrayShims, launch, removeFolder, removeNamespaceCgroups, runningDaemonPid } from './daemon.js';
import { removeInstance } from './instance.js';
import { parseIds, parseTasks } from './parse.js';

/** What was removed. */
export interface Removed {
  containers: number;
  images: number;
  daemons: number;
  folders: number;
}

/** Deletes every task, container (with its snapshot) and image in the namespace. */
export async function deleteEverything(ctr: Ctr): Promise<{ containers: number; images: number }> {
  const tasks = parseTasks(await ctr.run('list tasks', ['tasks', 'ls']));
  const containers = [...new Set([...tasks.map((t) => t.id), ...parseIds(await ctr.run('list containers', ['containers', 'ls', '-q']))])];
  await Promise.all(containers.map((id) => removeInstance(ctr, id)));
  const images = parseIds(await ctr.run('list images', ['images', 'ls', '-q']));
  if (images.length > 0) await ctr.run('remove images', ['images', 'rm', ...images], { missingIsFine: true });
  return { containers: containers.length, images: images.length };
}

/**
 * Tears one own-containerd folder down: reconnects to its daemon (starting it again on its config
 * when it died, so the tasks it left are deleted through it), deletes everything, stops it, kills
 * stray shims, unmounts and removes the folder.
 */
export async function teardownFolder(dir: string): Promise<Removed> {
  const removed: Removed = { containers: 0, images: 0, daemons: 0, folders: 0 };
  const paths = daemonPaths(dir);
  let stop: (() => Promise<void>) | null = null;
  let ctr: Ctr | null = null;
  const running = await runningDaemonPid(dir);
  if (running !== null) {
    ctr = new Ctr(paths.socket);
    stop = async () => stopPid(running);
  } else if (existsSync(paths.config)) {
    const daemon = await launch(dir).catch(() => null);
    if (daemon !== null) {
      ctr = daemon.ctr;
      stop = daemon.stop;
    }
  }
  if (ctr !== null) {
    try {
      const gone = await deleteEverything(ctr);
      removed.containers = gone.containers;
      removed.images = gone.images;
    } catch {
      // The daemon does not answer: the stray shims are killed below instead.
    }
  }
  if (stop !== null) {
    await stop();
    removed.daemons = 1;
  }
  await killStrayShims(dir);
  await removeNamespaceCgroups();
  await removeFolder(dir);
  removed.folders = 1;
  return removed;
}

/** Tears down the own-containerd folders in the temp dir whose owner died (every one with includeLive); `kept` counts live ones spared. */
export async function reapFolders(options: { includeLive: boolean; tempDir?: string }): Promise<Removed & { kept: number }> {
  const dir = options.tempDir ?? tmpdir();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(DAEMON_PREFIX));
  const total: Removed & { kept: number } = { containers: 0, images: 0, daemons: 0, folders: 0, kept: 0 };
  for (const name of names) {
    if (!options.includeLive && folderOwnerAlive(name)) {
      total.kept += 1;
      continue;
    }
    const removed = await teardownFolder(join(dir, name));
    total.containers += removed.containers;
    total.images += removed.images;
    total.daemons += removed.daemons;
    total.folders += removed.folders;
  }
  return total;
}

/** SIGTERM, then SIGKILL after 5 s, of a daemon this process did not start. */
async function stopPid(pid: number): Promise<void> {
  // A zombie has stopped (its parent may never reap it, as some sandboxes' init does not).
  const alive = (): boolean => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = performance.now() + 5_000;
  while (alive() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}
