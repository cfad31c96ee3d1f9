// The Docker daemon stops in the middle of `bench --real docker` and of `bench --real swarm` (through
// the real CLI): isobench
// ends within a bounded time with exit 3 and a message saying the engine went away; report.partial.json
// is written, marked partial, saying what completed; the previous results/report.json is byte-identical;
// once the daemon is back, the next run reaps what was left (no container of the stopped run remains;
// on the swarm path no service either, and the swarm the stopped run initialised is left again).
//
// DESTRUCTIVE: it stops this machine's dockerd, so it runs in the "faults" vitest project, after every
// other test and one file at a time (vitest.config.ts), and restarts the daemon the way it was started
// in afterAll, whatever happened. It only runs against a local dockerd it knows how to restart
// (started by scripts/setup-engines.sh, or by systemd); otherwise it is skipped with the reason (and
// fails under ISOBENCH_REQUIRE_ENGINES=1).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookAtSwarm } from '../backends/swarm/swarm-state.js';
import { gapOf, required } from '../engines.js';
import { containersOf, FIXTURES, leftoverCount, leftovers, recordFigure, ROOT, runCli, scratchDir, startCli, type LiveCli } from './harness.js';

const FILE = 'test/reliability/daemon-stop.destructive.test.ts';
const TINY = join(ROOT, 'test/cli/fixtures/tiny-web.yaml');
const SLOW = join(FIXTURES, 'slow-start.yaml');
const QUICK = join(FIXTURES, 'quick.yaml');

/** The local daemon and how to start it again, or why this test must not stop it. */
type Daemon = { pid: number; restart: 'setup-engines' | 'systemd'; cmdline: string } | { reason: string };

function pidsOf(name: string): number[] {
  const found = spawnSync('pidof', [name], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim().split(/\s+/).map(Number) : [];
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

function parentOf(pid: number): number {
  try {
    return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return 0;
  }
}

async function findDaemon(): Promise<Daemon> {
  const gap = await gapOf('docker');
  if (gap !== null) return { reason: gap };
  const dockerHost = process.env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '' && dockerHost !== 'unix:///var/run/docker.sock') return { reason: `DOCKER_HOST=${dockerHost} is not this machine's system daemon` };
  const [pid, ...more] = pidsOf('dockerd');
  if (pid === undefined) return { reason: 'no dockerd process on this machine (the engine is elsewhere)' };
  if (more.length > 0) return { reason: `several dockerd processes (${[pid, ...more].join(', ')}): not stopping any` };
  const cmdline = cmdlineOf(pid);
  const cgroup = existsSync(`/proc/${pid}/cgroup`) ? readFileSync(`/proc/${pid}/cgroup`, 'utf8') : '';
  if (cgroup.includes('docker.service') && spawnSync('systemctl', ['--version']).status === 0) return { pid, restart: 'systemd', cmdline };
  if (cmdline === 'dockerd --iptables=false --ip6tables=false --bridge=none') return { pid, restart: 'setup-engines', cmdline };
  return { reason: `dockerd was started some other way (${cmdline}); this test restarts only a daemon from scripts/setup-engines.sh or systemd` };
}

const daemon = await findDaemon();
const gap = 'reason' in daemon ? daemon.reason : null;
if (gap !== null && !required) console.warn(`[skip] ${FILE}: ${gap}`);

/** Starts the daemon as it was started; returns how long until it answered. */
function startDaemon(how: 'setup-engines' | 'systemd'): number {
  const t0 = performance.now();
  const run =
    how === 'systemd'
      ? spawnSync('systemctl', ['start', 'docker'], { encoding: 'utf8', timeout: 90_000 })
      : // A session of its own, so dockerd outlives this test process and its group.
        spawnSync('setsid', ['bash', join(ROOT, 'scripts/setup-engines.sh'), 'docker'], { encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) throw new Error(`could not restart dockerd (${how}): exit ${run.status}\n${run.stdout}${run.stderr}`);
  return performance.now() - t0;
}

function daemonAnswers(): boolean {
  return spawnSync('docker', ['version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/**
 * Stops dockerd with `signal` (SIGTERM: `systemctl stop`-like, it stops its containers first;
 * SIGKILL: a crash, the containers' shims live on). Escalates to SIGKILL after 30 s; then ends the
 * containerd dockerd had started, if it outlived it. Returns when the daemon is gone.
 */
async function stopDaemon(signal: 'SIGTERM' | 'SIGKILL'): Promise<{ sentAt: number; goneAt: number }> {
  const [pid] = pidsOf('dockerd');
  if (pid === undefined) throw new Error('dockerd is not running');
  const containerd = pidsOf('containerd').filter((child) => parentOf(child) === pid);
  const sentAt = performance.now();
  if (signal === 'SIGKILL') for (const child of containerd) process.kill(child, 'SIGKILL');
  process.kill(pid, signal);
  await waitGone(pid, 30_000);
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 10_000);
  }
  const goneAt = performance.now();
  for (const child of containerd.filter(alive)) {
    process.kill(child, 'SIGTERM');
    await waitGone(child, 5_000);
    if (alive(child)) process.kill(child, 'SIGKILL');
  }
  return { sentAt, goneAt };
}

async function waitGone(pid: number, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (alive(pid) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.runIf(gap === null || required)(`the Docker daemon stops mid-run${gap === null ? '' : ` (SKIPPED: ${gap})`}`, () => {
  let dir = '';
  beforeAll(async () => {
    if (gap !== null) throw new Error(`ISOBENCH_REQUIRE_ENGINES=1 but ${gap}`);
    dir = await scratchDir('daemon');
  });

  afterAll(async () => {
    // Whatever happened above, leave the daemon running.
    if ('restart' in daemon && !daemonAnswers()) startDaemon(daemon.restart);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  const cases = [
    // Graceful stop while the instances wait for their ready marker (apps take 30 s).
    { name: 'stopped (SIGTERM)', backend: 'docker', signal: 'SIGTERM', scenario: SLOW, args: ['--repetitions', '1'], midRun: /docker: batch 1\/1/, delayMs: 1_500 },
    // A crash (dockerd and its containerd killed) while batches of containers start and stop.
    { name: 'killed (SIGKILL)', backend: 'docker', signal: 'SIGKILL', scenario: TINY, args: ['--repetitions', '100'], midRun: /docker: batch 3\//, delayMs: 200 },
    // The swarm path: a graceful stop while the tasks of the swarm the run initialised wait for ready.
    { name: 'stopped (SIGTERM) under swarm', backend: 'swarm', signal: 'SIGTERM', scenario: SLOW, args: ['--repetitions', '1'], midRun: /swarm: batch 1\/1/, delayMs: 3_000 },
  ] as const;

  for (const fault of cases) {
    it(`${fault.name}: exit 3 in bounded time, partial report, last good report intact; the next run reaps what was left`, { timeout: 240_000 }, async () => {
      if (!('restart' in daemon)) throw new Error('unreachable');
      const results = join(dir, `results-${fault.backend}-${fault.signal}`);
      const tmp = join(dir, `tmp-${fault.backend}-${fault.signal}`);
      const swarmBefore = fault.backend === 'swarm' ? await lookAtSwarm() : undefined;
      await mkdir(tmp, { recursive: true });
      expect((await runCli(['--scenario', fault.scenario, '--results', results], tmp)).code).toBe(0);
      const lastGood = await readFile(join(results, 'report.json'), 'utf8');

      let cli: LiveCli | undefined;
      let stopped: { sentAt: number; goneAt: number } | undefined;
      let ended: Awaited<LiveCli['ended']> | undefined;
      try {
        cli = startCli(['--scenario', fault.scenario, '--real', fault.backend, ...fault.args, '--warmup', '0', '--real-app-startup', 'sleep', '--results', results], tmp);
        await cli.waitFor(fault.midRun);
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        stopped = await stopDaemon(fault.signal);
        // Bounded: every engine call has a time limit; give it 90 s before calling it a hang.
        ended = await Promise.race([cli.ended, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 90_000))]);
      } finally {
        if (ended === undefined) cli?.child.kill('SIGKILL');
        startDaemon(daemon.restart);
      }
      expect(ended, 'isobench did not end within 90 s of the daemon stopping').toBeDefined();
      const exitAfterSignalMs = ended!.atMs - stopped!.sentAt;
      const exitAfterGoneMs = ended!.atMs - stopped!.goneAt;
      console.info(
        `[measure] dockerd ${fault.name} (--real ${fault.backend}): daemon gone ${Math.round(stopped!.goneAt - stopped!.sentAt)} ms after the signal; isobench exited ${Math.round(exitAfterSignalMs)} ms after the signal, ${Math.round(exitAfterGoneMs)} ms after the daemon was gone`,
      );

      const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
      const leftBehind = await containersOf(partial.runId);
      // The next run, with the daemon back, reaps them (their owner process is gone).
      const next = await runCli(['--scenario', QUICK, '--real', fault.backend, '--repetitions', '1', '--warmup', '0', '--results', join(dir, `next-${fault.backend}-${fault.signal}`)], tmp);
      const left = await leftovers(partial.runId, tmp);
      await recordFigure({
        kind: 'fault',
        name: `dockerd ${fault.name} during bench --real ${fault.backend}`,
        survived: ended!.code === 3 && next.code === 0,
        leftovers: leftoverCount(left),
        exitCode: ended!.code,
        exitMs: exitAfterSignalMs,
      });
      console.info(`[measure] dockerd ${fault.name}: ${leftBehind.length} container(s) of the stopped run left on the engine after restart; ${left.containers.length} after the next run`);

      expect(ended!.code, ended!.stderr).toBe(3);
      expect(ended!.stdout).toBe('');
      // A stopping dockerd leaves the swarm before it closes its socket: the swarm path may see either.
      expect(ended!.stderr).toMatch(
        /isobench: engine unavailable or failed:\n {2}the Docker engine at unix:\/\/\/var\/run\/docker\.sock (stopped answering during [a-z ]+ \(\w+: the daemon is stopped or restarting\)|stopped being a swarm manager during [a-z ]+ \(HTTP 503: the daemon is stopping, or the node left the swarm\))/,
      );
      if (fault.backend === 'docker') expect(ended!.stderr).toContain('stopped answering during');
      expect(ended!.stderr).not.toMatch(/\n\s+at /);
      expect(exitAfterGoneMs).toBeLessThan(15_000);
      // The last good report is untouched; the partial one says it is partial and what completed.
      expect(await readFile(join(results, 'report.json'), 'utf8')).toBe(lastGood);
      expect(partial.partial).toBe(true);
      expect(partial.notes.some((note: string) => note.startsWith(`stopped during ${fault.scenario === SLOW ? 'slow-start' : 'tiny-web'} (${fault.backend}): the Docker engine`))).toBe(true);
      expect(partial.notes).toContain('completed: no real run');
      const measured = partial.scenarios[0].results.find((r: { backend: string }) => r.backend === fault.backend);
      expect(['partial', 'failed']).toContain(measured?.state);
      expect(measured.notes.some((note: string) => /^stopped after \d+ of \d+ measured batch\(es\)/.test(note))).toBe(true);

      expect(next.code, next.stderr).toBe(0);
      if (leftBehind.length > 0 && fault.backend === 'docker') expect(next.stderr).toMatch(/docker: removed \d+ container\(s\) left by an earlier run/);
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
      if (swarmBefore !== undefined) {
        // The daemon came back in the swarm the stopped run initialised, with its services: the next
        // swarm run removed them, took the swarm over and left it, so the engine is as before.
        const swarmAfter = await lookAtSwarm();
        console.info(
          `[measure] dockerd ${fault.name}: next swarm run said: ${next.stderr
            .split('\n')
            .filter((l) => /swarm: (removed|taking over)/.test(l))
            .join(' | ')}`,
        );
        expect({ state: swarmAfter.localNodeState, services: swarmAfter.services, gwbridge: swarmAfter.gwbridge }).toEqual({
          state: swarmBefore.localNodeState,
          services: swarmBefore.services,
          gwbridge: swarmBefore.gwbridge,
        });
      }
    });
  }
});
