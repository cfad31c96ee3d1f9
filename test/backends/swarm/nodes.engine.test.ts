// `bench --real swarm` on a 3-node swarm of this one machine: scripts/swarm-nodes.sh starts two
// extra Docker daemons (127.0.0.2 and .3) that join the main engine's swarm as workers, the CLI runs
// 6 tasks with ISOBENCH_SWARM_NODES naming the workers' sockets, and `down` takes them away. Needs
// a Docker engine and root (test/engines.ts; skipped with the reason, failed under
// ISOBENCH_REQUIRE_ENGINES=1). Afterwards nothing may be left: no service, network, task container,
// isobench image on any node, worker daemon, folder or bridge, and the main engine's swarm state as before.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../../engines.js';
import { runCli, scratchDir } from '../../reliability/harness.js';
import { IMAGE_LABEL } from '../../../src/backends/shared/docker-images.js';
import { listProcesses } from '../../../src/backends/shared/proc.js';
import { SwarmEngine } from '../../../src/backends/swarm/engine.js';
import { NODES_HERE, NODES_USED } from '../../../src/backends/swarm/result.js';
import { lookAtSwarm, type SwarmLook } from './swarm-state.js';

const SCENARIO = fileURLToPath(new URL('./fixtures/three-nodes.yaml', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../../scripts/swarm-nodes.sh', import.meta.url));
// Its own folder, so a developer's nodes under the default one are never touched.
const NODES_DIR = '/run/isobench-swarm-nodes-test';
const gate = await needs('test/backends/swarm/nodes.engine.test.ts', 'docker');
const root = process.getuid?.() === 0;

/** scripts/swarm-nodes.sh with this test's folder; its stdout, or throws with its stderr. */
function nodes(...args: string[]): string {
  const run = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, ISOBENCH_SWARM_NODES_DIR: NODES_DIR } });
  if (run.status !== 0) throw new Error(`swarm-nodes.sh ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  return run.stdout.trim();
}

/** Live processes (dockerd, containerd, shims) whose command line names this test's nodes folder. */
async function workerDaemons(): Promise<string[]> {
  const found: string[] = [];
  for (const p of await listProcesses()) {
    const cmdline = (await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    const state = (await readFile(`/proc/${p.pid}/status`, 'utf8').catch(() => '')).match(/^State:\s*(\S)/m)?.[1];
    if (cmdline.includes(NODES_DIR) && state !== undefined && state !== 'Z') found.push(`${p.pid} ${cmdline.trim()}`);
  }
  return found;
}

/** Network interfaces the workers' bridges would leave behind (isobgwN). */
async function workerBridges(): Promise<string[]> {
  return (await readdir('/sys/class/net')).filter((name) => name.startsWith('isobgw'));
}

const isobenchImages = async (engine: SwarmEngine): Promise<string[]> => (await engine.listImages(IMAGE_LABEL)).map((i) => i.id).sort();

describe.runIf(gate.run)(gate.title('bench --real swarm on three nodes of this machine'), () => {
  let before: SwarmLook;
  let mainImagesBefore: string[];
  let dir = '';

  beforeAll(async () => {
    gate.check();
    if (!root) throw new Error('scripts/swarm-nodes.sh starts dockerd: run the tests as root');
    // A killed earlier run of this test may have left its nodes: they are this test's own.
    if (existsSync(NODES_DIR)) nodes('down');
    // Another swarm test (or a person) may hold the main engine in a swarm for a moment.
    for (let i = 0; i < 60 && (await lookAtSwarm()).localNodeState !== 'inactive'; i += 1) await new Promise((r) => setTimeout(r, 1000));
    before = await lookAtSwarm();
    mainImagesBefore = await isobenchImages(await SwarmEngine.connect());
    dir = await scratchDir('swarm-nodes');
  }, 120_000);
  afterAll(async () => {
    if (existsSync(NODES_DIR)) nodes('down');
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('spreads the tasks over the three nodes, measures them, and leaves nothing on any node', { timeout: 120_000 }, async () => {
    const endpoints = nodes('up', '3').split(',');
    expect(endpoints).toHaveLength(2);
    const workers = await Promise.all(endpoints.map((endpoint) => SwarmEngine.connect({ ...process.env, DOCKER_HOST: endpoint })));
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const results = join(dir, 'results');
    const run = await runCli(['--scenario', SCENARIO, '--real', 'swarm', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '30s', '--results', results], tmp, {
      ISOBENCH_SWARM_NODES: endpoints.join(','),
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(results, 'report.json'), 'utf8'));
    const measured = report.scenarios[0].results.find((r: { backend: string }) => r.backend === 'swarm');
    expect(measured.state).toBe('completed');
    expect(measured.provenance).toMatchObject({ kind: 'measured', engine: 'docker-swarm', instancesMeasured: 6 });
    // 6 tasks spread over 3 nodes: Swarm's spread puts 2 on each; at least every node ran one.
    const used = measured.breakdown.capacity.find((i: { label: string }) => i.label === NODES_USED);
    expect(used.value).toBe(3);
    expect(used.children.map((c: { value: number }) => c.value).reduce((a: number, b: number) => a + b, 0)).toBe(6);
    for (const node of used.children) expect(node.value, node.label).toBeGreaterThanOrEqual(1);
    expect(measured.breakdown.capacity.find((i: { label: string }) => i.label === NODES_HERE).value).toBe(3);
    expect(measured.notes.join('\n')).toMatch(/tasks run without a network/);
    // Measured figures: the rollout at least the first task's start, every task's memory and disk read on its own node.
    for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms', 'memoryPerInstanceBytes', 'diskPerInstanceBytes', 'memorySharedBytes'] as const) {
      expect(measured.metrics[key], key).toBeGreaterThan(0);
    }
    expect(measured.metrics.startupAllMs).toBeGreaterThanOrEqual(measured.metrics.startupFirstMs);
    expect(measured.timeline).toHaveLength(6);
    // Each task wrote 64 KiB into a new file: its writable layer holds at least that.
    expect(measured.metrics.diskPerInstanceBytes).toBeGreaterThanOrEqual(64 * 1024);
    // The model as run is a cluster of the 3 nodes used, spread: 2 instances on each host.
    const model = report.scenarios[0].results.find((r: { asRun?: unknown; platform: string }) => r.asRun !== undefined && r.platform === 'container');
    const placement = model.breakdown.capacity.find((i: { label: string }) => i.label.startsWith('placement:'));
    expect(placement.label).toBe('placement: spread over 3 hosts');
    expect(placement.children.map((c: { value: number }) => c.value)).toEqual([2, 2, 2]);
    expect(model.notes.join('\n')).toMatch(/daemons sharing this one machine/);

    // Before `down`: the run removed the images it loaded, on the workers and on the manager (other
    // people's runs may add images to the manager meanwhile: only the ones this run built are looked for).
    const built = [...run.stderr.matchAll(/swarm: building image (\S+)/g)].map((m) => m[1]!);
    expect(built.length).toBeGreaterThanOrEqual(2);
    for (const worker of workers) expect(await isobenchImages(worker)).toEqual([]);
    const manager = await SwarmEngine.connect();
    const left = (await manager.listImages(IMAGE_LABEL)).filter((i) => i.tags.some((t) => built.includes(t)) && !mainImagesBefore.includes(i.id));
    expect(left).toEqual([]);
    const after = await lookAtSwarm(report.runId);
    expect({ services: after.services, networks: after.networks, containers: after.containers }).toEqual({ services: [], networks: [], containers: [] });
    for (const worker of workers) expect(await worker.listContainers('isobench.run')).toEqual([]);

    nodes('down');
    expect(await workerDaemons()).toEqual([]);
    expect(existsSync(NODES_DIR)).toBe(false);
    expect(await workerBridges()).toEqual([]);
    const end = await lookAtSwarm();
    expect(end.localNodeState).toBe(before.localNodeState);
    expect(end.gwbridge).toBe(before.gwbridge);
  });
});
