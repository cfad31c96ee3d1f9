// Ctrl-C (SIGINT) in the middle of `bench --real swarm`, through the real CLI: exit 130, and within
// 15 s of the signal no service, task container or network of the run is left, and the engine's
// swarm state is what it was before (inactive again when the run initialised the swarm). The tasks'
// app takes 30 s to start (slept), so the signal lands while they run. Needs a Docker engine.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookAtSwarm, type SwarmLook } from '../backends/swarm/swarm-state.js';
import { needs } from '../engines.js';
import { FIXTURES, processesWithEnv, recordFigure, scratchDir, startCli } from './harness.js';

const SLOW = join(FIXTURES, 'slow-start.yaml');
const gate = await needs('test/reliability/swarm-interrupt.test.ts', 'docker');
let dir = '';
let before: SwarmLook;

describe.runIf(gate.run)(gate.title('interrupting bench --real swarm'), () => {
  beforeAll(async () => {
    gate.check();
    before = await lookAtSwarm();
    dir = await scratchDir('swarm-SIGINT');
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('SIGINT: exit 130, no service, container, network or swarm state left within 15 s', { timeout: 60_000 }, async () => {
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const cli = startCli(
      ['--scenario', SLOW, '--real', 'swarm', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '60s', '--real-app-startup', 'sleep', '--results', join(dir, 'results')],
      tmp,
    );
    await cli.waitFor(/swarm: batch 1\/1/, 40_000);
    // Wait until the run's tasks exist (its services carry this CLI's pid).
    const until = performance.now() + 15_000;
    let mid = await lookAtSwarm();
    while (mid.containers.length === 0 && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      mid = await lookAtSwarm();
    }
    expect(mid.services.length, cli.stderr()).toBeGreaterThan(0);
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    const ended = await cli.ended;
    const exitMs = ended.atMs - sentAt;
    let after = await lookAtSwarm();
    while ((after.services.length > 0 || after.containers.length > 0 || after.localNodeState !== before.localNodeState) && performance.now() - sentAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await lookAtSwarm();
    }
    const cleanMs = performance.now() - sentAt;
    const leftovers = after.services.length + after.containers.length + after.networks.length + (after.localNodeState === before.localNodeState ? 0 : 1);
    await recordFigure({ kind: 'fault', name: 'SIGINT during bench --real swarm', survived: ended.code === 130, leftovers, exitCode: ended.code, exitMs, cleanMs });
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain('interrupted by SIGINT; cleaned up');
    expect(ended.stderr).not.toMatch(/\n\s+at /);
    expect(ended.stderr).not.toMatch(/cleanup failed/);
    expect(after.localNodeState).toBe(before.localNodeState);
    expect(after.gwbridge).toBe(before.gwbridge);
    expect({ services: after.services, containers: after.containers, networks: after.networks }).toEqual(
      before.localNodeState === 'active' ? { services: before.services, containers: before.containers, networks: before.networks } : { services: [], containers: [], networks: [] },
    );
    expect(await processesWithEnv(`TMPDIR=${tmp}`)).toEqual([]);
    expect(cleanMs).toBeLessThan(15_000);
  });
});
