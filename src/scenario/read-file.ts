// Reads a scenario file's text with the checks a file needs before any parsing: it exists, is a
// regular file, is at most 1 MiB (checked with stat BEFORE reading), is not empty, is UTF-8 text.

import { open, stat } from 'node:fs/promises';
import type { Problem } from '../errors.js';
import { formatBytes } from '../units/format.js';
import { LIMITS } from './limits.js';

/** The text, or the one problem that stops the file from being read. */
export type FileRead = { ok: true; text: string } | { ok: false; problem: Problem };

/** Never throws for a bad path: every failure becomes a problem naming the file. */
export async function readScenarioText(file: string): Promise<FileRead> {
  const fail = (message: string): FileRead => ({ ok: false, problem: { file, path: '', message } });
  if (file.includes('\0')) return fail('the path contains a NUL byte');
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    return fail(describeFsError(error));
  }
  if (info.isDirectory()) return fail('is a directory; expected a scenario file (.yaml)');
  if (!info.isFile()) return fail('is not a regular file; expected a scenario file (.yaml)');
  if (info.size > LIMITS.fileBytes) {
    return fail(`is ${formatBytes(info.size)}; a scenario file may be at most ${formatBytes(LIMITS.fileBytes)}`);
  }
  if (info.size === 0) return fail('is empty; expected a YAML mapping with name, description and services');
  let bytes: Buffer;
  try {
    bytes = await readAtMost(file, LIMITS.fileBytes + 1);
  } catch (error) {
    return fail(describeFsError(error));
  }
  if (bytes.length > LIMITS.fileBytes) return fail(`grew beyond ${formatBytes(LIMITS.fileBytes)} while being read`);
  if (bytes.includes(0)) return fail('is binary (it holds NUL bytes); expected a YAML text file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not UTF-8 text (binary?); expected a YAML text file');
  }
  if (text.trim() === '') return fail('holds only whitespace; expected a YAML mapping with name, description and services');
  return { ok: true, text };
}

/** Reads up to `limit` bytes, so a file that grows after stat cannot make us read it all. */
async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const { bytesRead } = await handle.read(buffer, length, limit - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'ELOOP') return 'cannot be read: too many symbolic links';
  if (code === 'ENAMETOOLONG') return 'cannot be read: the path is too long';
  if (code === 'EISDIR') return 'is a directory; expected a scenario file (.yaml)';
  return `cannot be read (${code ?? String(error)})`;
}
