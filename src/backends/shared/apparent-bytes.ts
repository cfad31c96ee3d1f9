// How many bytes a directory tree holds, counted as Docker counts a writable layer (SizeRw): the
// apparent size of each regular file, each inode once, directories not counted.

import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Apparent bytes of the regular files under the given dirs, each inode counted once (as Docker's SizeRw counts). */
export async function apparentBytes(dirs: readonly string[]): Promise<number> {
  const inodes = new Map<string, number>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const stat = await lstat(path);
        inodes.set(`${stat.dev}:${stat.ino}`, stat.size);
      }
    }
  };
  for (const dir of dirs) await walk(dir);
  return [...inodes.values()].reduce((sum, size) => sum + size, 0);
}
