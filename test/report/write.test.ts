// Atomic writes: all files or none, no temp file left behind, earlier files intact on failure.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputError } from '../../src/errors.js';
import { ensureWritableDir, writeFilesAtomic } from '../../src/report/write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isobench-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFilesAtomic', () => {
  it('writes every file and leaves no temp file', async () => {
    await writeFilesAtomic([
      { path: join(dir, 'report.json'), content: '{"a":1}\n' },
      { path: join(dir, 'report.md'), content: '# r\n' },
    ]);
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.md']);
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe('{"a":1}\n');
  });

  it('replaces earlier files whole', async () => {
    await writeFile(join(dir, 'report.json'), 'old');
    await writeFilesAtomic([{ path: join(dir, 'report.json'), content: 'new' }]);
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe('new');
  });

  it('on failure throws OutputError, removes its temp files and keeps the primary file as it was', async () => {
    await writeFile(join(dir, 'report.json'), 'last good');
    // report.md is a folder: its rename fails, after both temp files were written.
    await mkdir(join(dir, 'report.md'));
    await writeFile(join(dir, 'report.md', 'inside'), 'x');
    const attempt = writeFilesAtomic([
      { path: join(dir, 'report.json'), content: 'new' },
      { path: join(dir, 'report.md'), content: '# new' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(OutputError);
    await expect(attempt).rejects.toThrow(/earlier results were left as they were/);
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe('last good');
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.md']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFilesAtomic([{ path: join(dir, 'missing', 'r.json'), content: '' }])).rejects.toBeInstanceOf(OutputError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('ensureWritableDir', () => {
  it('creates nested folders', async () => {
    await ensureWritableDir(join(dir, 'a', 'b'));
    expect(await readdir(join(dir, 'a'))).toEqual(['b']);
  });

  it('refuses a path that is a file', async () => {
    await writeFile(join(dir, 'f'), '');
    await expect(ensureWritableDir(join(dir, 'f'))).rejects.toThrow(/exists and is not a folder/);
  });
});
