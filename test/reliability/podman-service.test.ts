// Faults of `bench --real podman` through the real CLI, with Podman's API service the run started
// itself (so killing it touches nobody else; dockerd is never stopped here):
// - the service dies mid-run: exit 3 with a message naming the Podman service, a partial report,
//   the last good report intact, and nothing left (isobench starts the service again to remove the
//   run's containers, then stops it);
// - isobench itself is killed (SIGKILL, no cleanup): its service goes with it (setpriv's parent-death
//   signal); the containers conmon keeps alive are removed by the next run, and the temp folder by
//   `clean`.
// Each run gets a private TMPDIR: the service and every conmon inherit it, so they are found in /proc.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPodmanBackend } from '../../src/backends/podman/index.js';
import { needs } from '../engines.js';
import { FIXTURES, leftoverCount, leftovers, podmanContainers, processesWithEnv, recordFigure, runCli, scratchDir, startCli, waitClean } from './harness.js';

const FILE = 'test/reliability/podman-service.test.ts';
const SLOW = join(FIXTURES, 'slow-start.yaml');
const QUICK = join(FIXTURES, 'quick.yaml');
const podman = await needs(FILE, 'podman');

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The `podman system service` this run started: the one process with the run's TMPDIR serving the API. */
async function servicePid(tmp: string): Promise<number> {
  const services = (await processesWithEnv(`TMPDIR=${tmp}`)).filter((line) => / system service /.test(line));
  expect(services, 'exactly one service of this run').toHaveLength(1);
  return Number(services[0]!.split(':')[0]);
}

async function setUp(name: string): Promise<{ tmp: string; results: string; lastGood: string }> {
  const dir = await scratchDir(`podman-${name}`);
  scratch.push(dir);
  const tmp = join(dir, 'tmp');
  const results = join(dir, 'results');
  await mkdir(tmp);
  expect((await runCli(['--scenario', SLOW, '--results', results], tmp)).code).toBe(0);
  return { tmp, results, lastGood: await readFile(join(results, 'report.json'), 'utf8') };
}

const BENCH = ['--real', 'podman', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '60s', '--real-app-startup', 'sleep'];

describe.runIf(podman.run)(podman.title('faults of bench --real podman'), () => {
  beforeAll(podman.check);

  it('the service the run started is killed mid-run: exit 3 naming it, partial report, nothing left', { timeout: 180_000 }, async () => {
    const { tmp, results, lastGood } = await setUp('service-killed');
    const cli = startCli(['--scenario', SLOW, ...BENCH, '--results', results], tmp);
    await cli.waitFor(/podman: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(podmanContainers(`isobench.pid=${cli.child.pid!}`).length, cli.stderr()).toBeGreaterThan(0);
    const killedAt = performance.now();
    process.kill(await servicePid(tmp), 'SIGKILL');
    // Bounded: every engine call has a time limit; 90 s before calling it a hang.
    const ended = await Promise.race([cli.ended, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 90_000))]);
    if (ended === undefined) cli.child.kill('SIGKILL');
    expect(ended, 'isobench did not end within 90 s of the service dying').toBeDefined();
    const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
    const { left, cleanAtMs } = await waitClean(partial.runId, tmp, 15_000, 'podman');
    await recordFigure({
      kind: 'fault',
      name: 'podman API service killed during bench --real podman',
      survived: ended!.code === 3,
      leftovers: leftoverCount(left),
      exitCode: ended!.code,
      exitMs: ended!.atMs - killedAt,
      ...(cleanAtMs === null ? {} : { cleanMs: cleanAtMs - killedAt }),
    });

    expect(ended!.code, ended!.stderr).toBe(3);
    expect(ended!.stderr).toMatch(
      /isobench: engine unavailable or failed:\n {2}the Podman service at unix:\/\/\S+ stopped answering during [a-z ]+ \(\w+: the `podman system service` isobench started has ended\)/,
    );
    expect(ended!.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(results, 'report.json'), 'utf8')).toBe(lastGood);
    expect(partial.partial).toBe(true);
    expect(partial.notes.some((note: string) => note.startsWith('stopped during slow-start (podman): the Podman service'))).toBe(true);
    const measured = partial.scenarios[0].results.find((r: { backend: string }) => r.backend === 'podman');
    expect(['partial', 'failed']).toContain(measured?.state);
    expect(measured.notes.some((note: string) => /^stopped after \d+ of \d+ measured batch\(es\)/.test(note))).toBe(true);
    // The service was started again to remove the run's containers, then stopped: no cleanup failed.
    expect(partial.notes.filter((note: string) => note.startsWith('cleanup failed'))).toEqual([]);
    expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
  });

  it('isobench killed mid-run: its service goes too; the next run removes the containers, clean the temp folder', { timeout: 180_000 }, async () => {
    const { tmp, results } = await setUp('cli-killed');
    const cli = startCli(['--scenario', SLOW, ...BENCH, '--results', results], tmp);
    await cli.waitFor(/podman: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const left = podmanContainers(`isobench.pid=${cli.child.pid!}`);
    expect(left.length, cli.stderr()).toBeGreaterThan(0);
    const service = await servicePid(tmp);
    cli.child.kill('SIGKILL');
    await cli.ended;
    // The parent-death signal stops the service within a few seconds (it shuts down on SIGTERM).
    const until = performance.now() + 10_000;
    while (performance.now() < until && (await processesWithEnv(`TMPDIR=${tmp}`)).some((line) => line.startsWith(`${service}:`))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await processesWithEnv(`TMPDIR=${tmp}`)).filter((line) => line.startsWith(`${service}:`))).toEqual([]);

    // The next run reaps the killed run's containers (their owner process is gone).
    const next = await runCli(['--scenario', QUICK, '--real', 'podman', '--repetitions', '1', '--warmup', '0', '--results', join(tmp, '..', 'next')], tmp);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/podman: removed \d+ container\(s\) left by an earlier run/);
    for (const id of left) expect(podmanContainers(`isobench.pid=${cli.child.pid!}`)).not.toContain(id);
    // What is left is the killed run's temp folder (its socket's): clean removes it.
    const cleaned = await createPodmanBackend().clean({ includeLive: false, tempDir: tmp });
    // One folder: isobench-podman-<killed pid>-<run>-XXXXXX.
    expect(cleaned.removed['temp paths']).toBe(1);
    const after = await waitClean(undefined, tmp, 10_000);
    await recordFigure({ kind: 'fault', name: 'SIGKILL of bench --real podman, then next run and clean', survived: next.code === 0, leftovers: leftoverCount(after.left), exitCode: next.code });
    expect(after.left).toEqual({ containers: [], processes: [], tempFiles: [] });
    expect(podmanContainers(`isobench.pid=${cli.child.pid!}`)).toEqual([]);
    expect((await leftovers(undefined, tmp, 'podman')).processes).toEqual([]);
  });
});
