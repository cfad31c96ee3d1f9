// Ctrl-C (SIGINT) and SIGTERM in the middle of a real run, through the real CLI, on each backend:
// the exit code says which signal (130 / 143), the partial report sits beside the last good one,
// and within 10 s of the signal every container of the run, every process it started (app
// scripts, QEMU) and every temp file is gone. Each run gets a private TMPDIR: its children inherit
// it (so they can be found in /proc) and its temp files land in it (so any file left is seen).
// The scenario's apps take 30 s to start, so the signal always lands while instances are running.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../engines.js';
import { containersOfPid, podmanContainers, processesWithEnv, FIXTURES, leftoverCount, NEED_OF, recordFigure, runCli, scratchDir, startCli, waitClean, type EngineName } from './harness.js';

const SLOW = join(FIXTURES, 'slow-start.yaml');

/** The progress line after which instances are starting, per backend, and how long to wait past it. */
const MID_RUN: Record<EngineName, { pattern: RegExp; delayMs: number }> = {
  docker: { pattern: /docker: batch 1\/1/, delayMs: 1_500 },
  host: { pattern: /host: batch 1\/1/, delayMs: 500 },
  // The guests are booting 2 s after the batch starts.
  qemu: { pattern: /qemu: batch 1\/1/, delayMs: 2_000 },
  podman: { pattern: /podman: batch 1\/1/, delayMs: 1_500 },
};

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

for (const backend of ['docker', 'host', 'qemu', 'podman'] as const) {
  const engine = await needs('test/reliability/interrupts.test.ts', NEED_OF[backend]);

  describe.runIf(engine.run)(engine.title(`interrupting bench --real ${backend}`), () => {
    beforeAll(engine.check);

    it.each([
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const)('%s: exit %i, partial report beside the last good one, nothing left within 10 s', { timeout: 180_000 }, async (signal, exitCode) => {
      const dir = await scratchDir(`${backend}-${signal}`);
      scratch.push(dir);
      const tmp = join(dir, 'tmp');
      const results = join(dir, 'results');
      await mkdir(tmp);
      // The last good report: a model-only run.
      expect((await runCli(['--scenario', SLOW, '--results', results], tmp)).code).toBe(0);
      const lastGood = await readFile(join(results, 'report.json'), 'utf8');

      const cli = startCli(['--scenario', SLOW, '--real', backend, '--repetitions', '1', '--warmup', '0', '--instance-timeout', '60s', '--real-app-startup', 'sleep', '--results', results], tmp);
      await cli.waitFor(MID_RUN[backend].pattern);
      await new Promise((resolve) => setTimeout(resolve, MID_RUN[backend].delayMs));
      // The signal lands mid-run: instances exist (containers of this CLI, or its child processes).
      const running =
        backend === 'docker' ? await containersOfPid(cli.child.pid!) : backend === 'podman' ? podmanContainers(`isobench.pid=${cli.child.pid!}`) : await processesWithEnv(`TMPDIR=${tmp}`);
      expect(running.length, cli.stderr()).toBeGreaterThan(backend === 'docker' || backend === 'podman' ? 0 : 1);
      const sentAt = performance.now();
      cli.child.kill(signal);
      const ended = await cli.ended;
      const exitMs = ended.atMs - sentAt;

      const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
      // Podman: its API service (and every conmon) inherited TMPDIR, so they count among the processes.
      const { left, cleanAtMs } = await waitClean(partial.runId, tmp, 12_000, backend === 'podman' ? 'podman' : 'docker');
      const cleanMs = cleanAtMs === null ? undefined : Math.max(exitMs, cleanAtMs - sentAt);
      await recordFigure({
        kind: 'fault',
        name: `${signal} during bench --real ${backend}`,
        survived: ended.code === exitCode,
        leftovers: leftoverCount(left),
        exitCode: ended.code,
        exitMs,
        ...(cleanMs === undefined ? {} : { cleanMs }),
      });

      expect(ended.code, ended.stderr).toBe(exitCode);
      expect(ended.stderr).toContain(`${signal}: stopping and cleaning up`);
      expect(ended.stderr).toContain(`interrupted by ${signal}; cleaned up`);
      expect(ended.stderr).not.toMatch(/\n\s+at /);
      expect(exitMs).toBeLessThan(10_000);
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
      expect(cleanMs).toBeLessThan(10_000);
      // The last good report is byte for byte what it was; the partial one says where it stopped.
      expect(await readFile(join(results, 'report.json'), 'utf8')).toBe(lastGood);
      expect(partial.partial).toBe(true);
      expect(partial.notes).toContain(`stopped during slow-start (${backend}): interrupted by ${signal}; cleaned up`);
      expect(partial.notes).toContain('completed: no real run');
      expect(partial.notes.filter((note: string) => note.startsWith('cleanup failed'))).toEqual([]);
    });
  });
}
