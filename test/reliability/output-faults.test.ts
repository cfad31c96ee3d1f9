// results/ full or not writable, through the real CLI: exit 2 (OutputError) with one clear message,
// the earlier report byte for byte as it was, no temp file left in the folder, and (when the folder is
// refused up front) nothing started on any engine. The folder is a small tmpfs mounted for the test
// (we are root, so chmod would not stop a write): disk full = a filler file leaving room for
// report.json but not report.md; not writable = the tmpfs remounted read-only. Skipped with the
// reason where mounting is not permitted, failed under ISOBENCH_REQUIRE_ENGINES=1.

import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../engines.js';
import { FIXTURES, ROOT, leftoverCount, leftovers, processesWithEnv, recordFigure, runCli, scratchDir, startCli } from './harness.js';

const TINY = join(ROOT, 'test/cli/fixtures/tiny-web.yaml');
const QUICK = join(FIXTURES, 'quick.yaml');
const KiB = 1024;

let dir = '';
let results = '';
let tmp = '';
let mounted = false;

/** Mounts a tmpfs of `size` on `target`; returns why it could not, or null. */
function tryMount(target: string, size: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', target], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
}

function remount(options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, results], { stdio: 'pipe' });
}

const FILE = 'test/reliability/output-faults.test.ts';
const mount = await needs(FILE, 'mount');
const mountAndBusybox = await needs(FILE, 'mount', 'busybox');

/** Every file in results/, with its content, to compare before and after. */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(results)).sort()) files[name] = await readFile(join(results, name), 'utf8');
  return files;
}

describe.runIf(mount.run)(mount.title('results/ full or read-only'), () => {
  beforeAll(async () => {
    mount.check();
    dir = await scratchDir('output');
    results = join(dir, 'results');
    tmp = join(dir, 'tmp');
    await mkdir(results);
    await mkdir(tmp);
    const gap = tryMount(results, '256k');
    if (gap !== null) throw new Error(gap);
    mounted = true;
  });

  afterAll(async () => {
    // Lazy, so a process still holding the folder cannot keep the mount (or this test) alive.
    if (mounted) execFileSync('umount', ['-l', results]);
    await rm(dir, { recursive: true, force: true });
  });

  it('disk full: exit 2 naming the files and ENOSPC; the earlier report intact, no temp file left; the next run succeeds', async () => {
    expect((await runCli(['--scenario', TINY, '--results', results], tmp)).code).toBe(0);
    const before = await snapshot();
    // Leave 28 KiB: room for report.json (about 26 KiB) but not also for report.md (about 10 KiB).
    const fs = await statfs(results);
    const free = fs.bavail * fs.bsize;
    await writeFile(join(results, 'filler'), Buffer.alloc(free - 28 * KiB));
    const full = await runCli(['--scenario', TINY, '--results', results], tmp);
    await rm(join(results, 'filler'));
    await recordFigure({ kind: 'fault', name: 'disk full while writing results', survived: full.code === 2, leftovers: leftoverCount(await leftovers(undefined, tmp)), exitCode: full.code });

    expect(full.code, full.stderr).toBe(2);
    expect(full.stderr).toMatch(/^isobench: error:\n {2}cannot write .*report\.json, .*report\.md, .*report\.html: ENOSPC: no space left on device.*; earlier results were left as they were$/);
    expect(full.stdout).toBe('');
    // Byte for byte the same files, and nothing else (no .report.*.tmp).
    expect(await snapshot()).toEqual(before);
    // Once there is room again, the next run writes.
    expect((await runCli(['--scenario', TINY, '--results', results], tmp)).code).toBe(0);
  });

  it('read-only: refused before anything runs (exit 2), no engine started, the earlier report intact', async () => {
    const before = await snapshot();
    remount('ro');
    try {
      // With busybox, a real host run is what gets refused; without, a model-only one (both must write nothing).
      const args = ['--scenario', TINY, ...(mountAndBusybox.gap === null ? ['--real', 'host'] : []), '--results', results];
      const refused = await runCli(args, tmp);
      const left = await leftovers(undefined, tmp);
      await recordFigure({ kind: 'fault', name: 'results folder read-only', survived: refused.code === 2, leftovers: leftoverCount(left), exitCode: refused.code });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(/^isobench: error:\n {2}results folder .*results is not writable: EROFS: read-only file system/);
      // Refused up front: no progress line, so no engine was touched.
      expect(refused.stderr).not.toContain('running');
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    } finally {
      remount('rw');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.runIf(mountAndBusybox.run)(mountAndBusybox.title('read-only in the middle of a real run: exit 2, the earlier report intact, processes and temp files gone'), { timeout: 60_000 }, async () => {
    mountAndBusybox.check();
    const before = await snapshot();
    const cli = startCli(['--scenario', QUICK, '--real', 'host', '--repetitions', '30', '--warmup', '0', '--results', results], tmp);
    await cli.waitFor(/host: batch 2\//);
    remount('ro');
    let ended;
    try {
      ended = await cli.ended;
    } finally {
      remount('rw');
    }
    const left = await leftovers(undefined, tmp);
    await recordFigure({ kind: 'fault', name: 'results folder read-only mid-run', survived: ended.code === 2, leftovers: leftoverCount(left), exitCode: ended.code });
    expect(ended.code, ended.stderr).toBe(2);
    expect(ended.stderr).toMatch(/cannot write .*report\.json, .*: EROFS: read-only file system.*; earlier results were left as they were/);
    expect(await snapshot()).toEqual(before);
    expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(await processesWithEnv(`TMPDIR=${tmp}`)).toEqual([]);
  });
});
