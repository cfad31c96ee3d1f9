// `bench --real swarm` through the real CLI on a tiny scenario (2 services, 4 tasks). Needs a
// Docker engine (test/engines.ts): skipped with the reason when none answers, failed under
// ISOBENCH_REQUIRE_ENGINES=1. The engine's swarm state must be as it was before: an inactive
// engine gets a single-node swarm for the run and is inactive again afterwards (docker_gwbridge
// gone too); an engine already in a swarm keeps it, with none of the run's services or networks.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../../engines.js';
import { runCli, scratchDir } from '../../reliability/harness.js';
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
});
