// Writes results atomically: a temp file in the same folder, fsync, rename. A failed write leaves
// neither a half-written file nor a clobbered earlier result.

import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { messageOf, OutputError } from '../errors.js';

/** One file to write: where, and its full content. */
export interface OutputFile {
  path: string;
  content: string;
}

/** Makes sure `dir` exists and is a writable folder, before any work starts. */
export async function ensureWritableDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info !== null && !info.isDirectory()) throw new OutputError(`results folder ${dir} exists and is not a folder`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new OutputError(`results folder ${dir} is not writable: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Writes every file to a temp file first and renames them only when all were written, so a failure
 * (disk full, read-only folder) leaves every earlier file as it was. Throws OutputError.
 */
export async function writeFilesAtomic(files: OutputFile[]): Promise<void> {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const file of files) {
      const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      temps.push({ temp, path: file.path });
      await writeDurably(temp, file.content);
    }
    // The first file is the primary one (report.json): renamed last, so if any rename fails it stays as it was.
    for (const { temp, path } of [...temps].reverse()) await rename(temp, path);
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
    const names = files.map((file) => file.path).join(', ');
    throw new OutputError(`cannot write ${names}: ${messageOf(error)}; earlier results were left as they were`, { cause: error });
  }
  await syncDir(dirname(files[0]?.path ?? '.'));
}

async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Persists the renames; some file systems refuse to open a folder, which is harmless here. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
