// The containerd backend's faults, through the real CLI with a private TMPDIR (its own containerd,
// shims and folder all carry it): Ctrl-C mid-run, its containerd killed mid-run, and a run killed
// outright (SIGKILL) whose leftovers the next run and `isobench clean` remove. Nothing here touches
// Docker's containerd: the daemon killed is the one the run started (found by its folder).

import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../engines.js';
import { FIXTURES, leftoverCount, leftovers, recordFigure, runCli, scratchDir, startCli, waitClean } from './harness.js';

const SLOW = join(FIXTURES, 'slow-start.yaml');
const QUICK = join(FIXTURES, 'quick.yaml');
const gate = await needs('test/reliability/containerd.test.ts', 'containerd', 'busybox');

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The pids of processes (not zombies) whose command line names `tmp`: the run's containerd and its shims. */
async function processesNaming(tmp: string, comm?: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!cmdline.includes(tmp) || /^State:\s+Z/m.test(status)) continue;
    if (comm !== undefined && !new RegExp(`^Name:\\s+${comm}$`, 'm').test(status)) continue;
    found.push(Number(pid));
  }
  return found;
}

/** Mounts under `tmp` still in this mount namespace (a container rootfs left mounted). */
async function mountsUnder(tmp: string): Promise<string[]> {
  return (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => line.includes(tmp));
}

async function newTmp(name: string): Promise<{ tmp: string; results: string }> {
  // Short names: the containerd socket path under TMPDIR must stay under 100 bytes.
  const dir = await scratchDir(name);
  scratch.push(dir);
  const tmp = join(dir, 't');
  await mkdir(tmp);
  return { tmp, results: join(dir, 'r') };
}

const RUN_ARGS = ['--real', 'containerd', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '60s', '--real-app-startup', 'sleep'];

describe.runIf(gate.run)(gate.title('containerd backend under faults'), () => {
  beforeAll(gate.check);

  it('SIGINT mid-run: exit 130, partial report, nothing left (daemon, shims, folder, mounts) within 10 s', { timeout: 120_000 }, async () => {
    const { tmp, results } = await newTmp('ctd-int');
    const cli = startCli(['--scenario', SLOW, ...RUN_ARGS, '--results', results], tmp);
    await cli.waitFor(/containerd: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Mid-run: the run's containerd and one shim per started container are up.
    expect((await processesNaming(tmp, 'containerd-shim')).length, cli.stderr()).toBeGreaterThan(0);
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    const ended = await cli.ended;
    const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
    const { left, cleanAtMs } = await waitClean(partial.runId, tmp, 12_000);
    await recordFigure({
      kind: 'fault',
      name: 'SIGINT during bench --real containerd',
      survived: ended.code === 130,
      leftovers: leftoverCount(left),
      exitCode: ended.code,
      exitMs: ended.atMs - sentAt,
    });

    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain('interrupted by SIGINT; cleaned up');
    expect(ended.stderr).not.toMatch(/\n\s+at /);
    expect(ended.atMs - sentAt).toBeLessThan(10_000);
    expect(cleanAtMs).not.toBeNull();
    expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(await processesNaming(tmp)).toEqual([]);
    expect(await mountsUnder(tmp)).toEqual([]);
    expect(partial.notes.filter((note: string) => note.startsWith('cleanup failed'))).toEqual([]);
  });

  it('its containerd killed mid-run: exit 3 naming containerd, a partial report, nothing left', { timeout: 120_000 }, async () => {
    const { tmp, results } = await newTmp('ctd-kill');
    const cli = startCli(['--scenario', SLOW, ...RUN_ARGS, '--results', results], tmp);
    await cli.waitFor(/containerd: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const daemons = await processesNaming(tmp, 'containerd');
    // Exactly the run's own daemon (its --config is under this TMPDIR): never Docker's.
    expect(daemons).toHaveLength(1);
    const sentAt = performance.now();
    process.kill(daemons[0]!, 'SIGKILL');
    const ended = await Promise.race([cli.ended, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000))]);
    if (ended === undefined) cli.child.kill('SIGKILL');
    expect(ended, 'isobench did not end within 60 s of its containerd dying').toBeDefined();
    const { left } = await waitClean(undefined, tmp, 12_000);
    await recordFigure({
      kind: 'fault',
      name: 'own containerd SIGKILL during bench --real containerd',
      survived: ended!.code === 3,
      leftovers: leftoverCount(left),
      exitCode: ended!.code,
      exitMs: ended!.atMs - sentAt,
    });

    expect(ended!.code, ended!.stderr).toBe(3);
    expect(ended!.stderr).toMatch(/containerd at \S+c\.sock stopped answering during/);
    expect(ended!.stderr).not.toMatch(/\n\s+at /);
    const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
    const measured = partial.scenarios[0].results.find((r: { backend: string }) => r.backend === 'containerd');
    expect(['partial', 'failed']).toContain(measured?.state);
    expect(measured.notes.some((note: string) => /^stopped after \d+ of \d+ measured batch\(es\)/.test(note))).toBe(true);
    // Every metric of a run that measured nothing is null, never 0.
    expect(measured.metrics.memoryPerInstanceBytes).toBeNull();
    expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(await processesNaming(tmp)).toEqual([]);
    expect(await mountsUnder(tmp)).toEqual([]);
  });

  it('a run killed outright leaves its containerd; the next run removes it, and so does `isobench clean`', { timeout: 180_000 }, async () => {
    const { tmp, results } = await newTmp('ctd-left');
    const killRun = async (): Promise<void> => {
      const cli = startCli(['--scenario', SLOW, ...RUN_ARGS, '--results', results], tmp);
      await cli.waitFor(/containerd: batch 1\/1/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      cli.child.kill('SIGKILL');
      await cli.ended;
      // What SIGKILL leaves: the daemon, its shims and the folder (nothing ran the cleanup).
      expect((await processesNaming(tmp, 'containerd')).length).toBe(1);
      expect((await leftovers(undefined, tmp)).tempFiles.length).toBeGreaterThan(0);
    };

    await killRun();
    const next = await runCli(['--scenario', QUICK, '--real', 'containerd', '--repetitions', '1', '--warmup', '0', '--results', results], tmp);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/containerd: removed 1 containerd folder\(s\) and 2 container\(s\) left by an earlier run/);
    expect(await leftovers(undefined, tmp)).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(await mountsUnder(tmp)).toEqual([]);

    await killRun();
    const clean = await runCli(['clean'], tmp);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/containerd/);
    expect(await leftovers(undefined, tmp)).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(await processesNaming(tmp)).toEqual([]);
    expect(await mountsUnder(tmp)).toEqual([]);
  });
});
