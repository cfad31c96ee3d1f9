// `bench --real swarm` through the real CLI on a tiny scenario (2 services, 4 tasks). Needs a
// Docker engine (test/engines.ts): skipped with the reason when none answers, failed under
// ISOBENCH_REQUIRE_ENGINES=1. The engine's swarm state must be as it was before: an inactive
// engine gets a single-node swarm for the run and is inactive again afterwards (docker_gwbridge
// gone too); an engine already in a swarm keeps it, with none of the run's services or networks.

import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../../engines.js';
import { runCli, scratchDir } from '../../reliability/harness.js';
import { SwarmEngine } from '../../../src/backends/swarm/engine.js';
import { INIT_LABEL } from '../../../src/backends/swarm/labels.js';
import { removeGwbridgeNetwork } from '../../../src/backends/swarm/mode.js';
import { lookAtSwarm, type SwarmLook } from './swarm-state.js';

const TINY = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));
const gate = await needs('test/backends/swarm/run.engine.test.ts', 'docker');
let before: SwarmLook;
let dir = '';

describe.runIf(gate.run)(gate.title('bench --real swarm on a real engine'), () => {
  beforeAll(async () => {
    gate.check();
    before = await lookAtSwarm();
    dir = await scratchDir('swarm-run');
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('measures the rollout and every task, and leaves the swarm state as it found it', { timeout: 60_000 }, async () => {
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const results = join(dir, 'results');
    const run = await runCli(['--scenario', TINY, '--real', 'swarm', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '30s', '--results', results], tmp);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(results, 'report.json'), 'utf8'));
    const measured = report.scenarios[0].results.find((r: { backend: string }) => r.backend === 'swarm');
    expect(measured.state).toBe('completed');
    expect(measured.provenance).toMatchObject({ kind: 'measured', engine: 'docker-swarm', instancesMeasured: 4, repetitions: 1 });
    // The rollout (all ready) is at least the slowest task's start, and every task start at least
    // its own phases; each figure is measured (a number above 0), none made up.
    for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms', 'startupP99Ms', 'memoryPerInstanceBytes', 'diskPerInstanceBytes'] as const) {
      expect(measured.metrics[key], key).toBeGreaterThan(0);
    }
    expect(measured.metrics.startupAllMs).toBeGreaterThanOrEqual(measured.metrics.startupFirstMs);
    expect(measured.timeline).toHaveLength(4);
    expect(measured.breakdown.startup.map((p: { label: string }) => p.label)).toEqual(['orchestrate', 'to running', 'app']);
    // 4 MiB of the web app is resident in each of its tasks; the mean over 3 web + 1 worker (2 MiB) tasks is at least 3.5 MiB.
    expect(measured.metrics.memoryPerInstanceBytes).toBeGreaterThanOrEqual(3.5 * 1024 ** 2);
    // The model as run stands beside it, with the docker-runc profile.
    const model = report.scenarios[0].results.find((r: { asRun?: unknown; platform: string }) => r.asRun !== undefined && r.platform === 'container');
    expect(model.profile).toBe('docker-runc');

    const runId: string = report.runId;
    const after = await lookAtSwarm(runId);
    expect(after.localNodeState).toBe(before.localNodeState);
    expect({ services: after.services, networks: after.networks, containers: after.containers }).toEqual({ services: [], networks: [], containers: [] });
    expect(after.gwbridge).toBe(before.gwbridge);
  });

  /** `docker` CLI, failing the test with its output. */
  const docker = (...args: string[]): string => {
    const run = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`docker ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
    return run.stdout.trim();
  };

  /** Puts the engine in a single-node swarm for one test, and back as it was afterwards. */
  async function inASwarm(test: (engine: SwarmEngine) => Promise<void>): Promise<void> {
    const engine = await SwarmEngine.connect();
    const wasActive = (await engine.info()).localNodeState === 'active';
    if (!wasActive) docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    try {
      await test(engine);
    } finally {
      if (!wasActive && (await engine.info()).localNodeState === 'active') {
        docker('swarm', 'leave', '--force');
        if (!before.gwbridge) await removeGwbridgeNetwork(engine);
      }
    }
  }

  it('deploys into a swarm the engine is already in and touches nothing else there', { timeout: 90_000 }, async () => {
    await inASwarm(async (engine) => {
      // Someone else's service (0 replicas: no image needed); it must be there, unchanged, afterwards.
      const bystander = docker('service', 'create', '--detach', '--no-resolve-image', '--replicas', '0', '--name', 'bystander-of-isobench', 'busybox:absent', 'true');
      try {
        const tmp = join(dir, 'tmp-active');
        await mkdir(tmp);
        const results = join(dir, 'results-active');
        const run = await runCli(['--scenario', TINY, '--real', 'swarm', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '30s', '--results', results], tmp);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).not.toContain('initialising a single-node swarm');
        const report = JSON.parse(await readFile(join(results, 'report.json'), 'utf8'));
        const measured = report.scenarios[0].results.find((r: { backend: string }) => r.backend === 'swarm');
        expect(measured.state).toBe('completed');
        expect(measured.notes.some((n: string) => n.startsWith("deployed into the engine's existing swarm (1 node(s))"))).toBe(true);
        const info = await engine.info();
        expect(info.localNodeState).toBe('active');
        expect((await engine.listServices()).map((service) => service.id)).toEqual([bystander]);
        expect((await engine.nodeLabels(info.nodeId))[INIT_LABEL]).toBeUndefined();
        const after = await lookAtSwarm(report.runId);
        expect({ services: after.services, networks: after.networks, containers: after.containers }).toEqual({ services: [], networks: [], containers: [] });
      } finally {
        docker('service', 'rm', bystander);
      }
    });
  });

  it('takes over a swarm that a stopped isobench run initialised, and leaves it', { timeout: 90_000 }, async () => {
    await inASwarm(async (engine) => {
      // The marker a run leaves on the node when it initialises the swarm, naming a process that is
      // gone (pid 2^22 + 1 is above Linux's pid_max of 2^22, so no process has it).
      const info = await engine.info();
      await engine.labelNode(info.nodeId, { [INIT_LABEL]: `${2 ** 22 + 1}@${hostname()}` });
      const tmp = join(dir, 'tmp-adopt');
      await mkdir(tmp);
      const run = await runCli(['--scenario', TINY, '--real', 'swarm', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '30s', '--results', join(dir, 'results-adopt')], tmp);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('swarm: taking over the single-node swarm a stopped isobench run initialised');
      expect((await engine.info()).localNodeState).toBe('inactive');
      expect((await lookAtSwarm()).gwbridge).toBe(before.gwbridge);
    });
  });
});
