// Needs a Docker engine (test/engines.ts): skipped with the reason when none answers, failed under
// ISOBENCH_REQUIRE_ENGINES=1.
// Small sizes keep the whole file well under two minutes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedResult } from '../outcome.js';
import { createDockerBackend, dockerBackend } from '../../../src/backends/docker/index.js';
import type { DockerEngine } from '../../../src/backends/shared/docker-api/engine.js';
import { ensureImages } from '../../../src/backends/shared/docker-images.js';
import { RUN_LABEL } from '../../../src/backends/shared/docker-api/reap.js';
import { InterruptedError } from '../../../src/errors.js';
import { dockerEngine, needs } from '../../engines.js';
import { KiB, MiB, scenario, service, runOptions } from './fixtures.js';

const docker = await needs('test/backends/docker/run.engine.test.ts', 'docker');
let engine: DockerEngine;
const runPrefix = `test-${process.pid}-${Date.now()}`;

async function runContainers(runId: string): Promise<number> {
  return (await engine.listContainers(`${RUN_LABEL}=${runId}`)).length;
}

describe.runIf(docker.run)(docker.title('docker backend on a real engine'), () => {
  beforeAll(async () => {
    docker.check();
    engine = await dockerEngine();
    expect((await dockerBackend.probe()).storageDriver).toBeTruthy();
  });
  afterAll(async () => {
    for (const c of await engine.listContainers(RUN_LABEL)) if (c.labels[RUN_LABEL]?.startsWith(runPrefix)) await engine.removeContainer(c.id);
  });

  it('measures a small run and leaves no container behind', { timeout: 60_000 }, async () => {
    const runId = `${runPrefix}-small`;
    const opts = runOptions(runId, { repetitions: 2, warmup: 1 });
    const small = scenario(
      'small',
      [
        service(
          'web',
          2,
          [
            ['t-base', 3 * MiB],
            ['t-web', 1 * MiB],
          ],
          {
            memoryBytes: 8 * MiB,
            files: [{ path: '/var/log/web.log', sizeBytes: 0, writeBytes: 64 * KiB, mode: 'create' }],
          },
        ),
      ],
      2,
    );
    const result = completedResult(await dockerBackend.run(small, opts));
    await opts.cleanup.run();
    expect(result.state).toBe('completed');
    expect(result.provenance).toMatchObject({ kind: 'measured', engine: 'docker', instancesMeasured: 2, repetitions: 2 });
    for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms', 'startupP99Ms', 'memoryPerInstanceBytes', 'diskPerInstanceBytes'] as const) {
      expect(result.metrics[key], key).toBeGreaterThan(0);
    }
    expect(result.metrics.maxInstances).toBeNull();
    // The app holds 8 MiB resident: the Docker CLI figure per container is at least that.
    const app = result.breakdown.memory.find((item) => item.label === 'app');
    expect(app!.value).toBeGreaterThanOrEqual(8 * MiB);
    // Shared disk = the two layers as built: 3 MiB (busybox inside) + 1 MiB, plus 14 bytes of symlinks.
    expect(result.metrics.diskSharedBytes).toBe(4 * MiB + 14);
    // Each container created a 64 KiB file and nothing else.
    expect(result.metrics.diskPerInstanceBytes).toBe(64 * KiB);
    expect(result.stats?.startupAllMs?.samples).toHaveLength(2);
    expect(await runContainers(runId)).toBe(0);
  });

  it('stores a layer shared by id once on the engine', { timeout: 60_000 }, async () => {
    const services = [
      service('s1', 1, [
        ['t-shared', 3 * MiB],
        ['t-one', 1 * MiB],
      ]),
      service('s2', 1, [
        ['t-shared', 3 * MiB],
        ['t-two', 2 * MiB],
      ]),
    ];
    const images = await ensureImages(engine, services, new AbortController().signal, () => {});
    const [one, two] = images.map((image) => image.layers);
    expect(one!.diffIds[0]).toBe(two!.diffIds[0]);
    expect(one!.diffIds[1]).not.toBe(two!.diffIds[1]);
    // The engine's own accounting: image s2 shares its bottom layer (3 MiB + 14 B of symlinks) with s1.
    const shared = await sharedSize(engine, images[1]!.layers.id);
    expect(shared).toBe(3 * MiB + 14);
  });

  it('charges a 1-byte modify of a large file with the whole file; an overwrite only with what it writes', { timeout: 60_000 }, async () => {
    const runId = `${runPrefix}-cow`;
    const opts = runOptions(runId);
    const cow = scenario('cow', [
      service(
        'modify',
        1,
        [
          ['t-cow-base', 3 * MiB],
          ['t-cow-m', 5 * MiB],
        ],
        {
          files: [{ path: '/data/big.bin', sizeBytes: 4 * MiB, writeBytes: 1, mode: 'modify' }],
        },
      ),
      service(
        'overwrite',
        1,
        [
          ['t-cow-base', 3 * MiB],
          ['t-cow-o', 5 * MiB],
        ],
        {
          files: [{ path: '/data/big.bin', sizeBytes: 4 * MiB, writeBytes: 1, mode: 'overwrite' }],
        },
      ),
    ]);
    const result = completedResult(await dockerBackend.run(cow, opts));
    await opts.cleanup.run();
    const perFile = result.breakdown.disk.find((item) => item.label === 'per-file copy-up')!.children!;
    // modify: the whole 4 MiB file is copied up; overwrite (O_TRUNC): 1 byte.
    expect(perFile.find((c) => c.label === 'modify modify /data/big.bin')?.value).toBe(4 * MiB);
    expect(perFile.find((c) => c.label === 'overwrite overwrite /data/big.bin')?.value).toBe(1);
    expect(result.stats?.diskPerInstanceBytes?.samples.sort((a, b) => a - b)).toEqual([1, 4 * MiB]);
    expect(await runContainers(runId)).toBe(0);
  });

  it('stops promptly when aborted midway and leaves no container of the run', { timeout: 60_000 }, async () => {
    const runId = `${runPrefix}-abort`;
    const controller = new AbortController();
    // The apps must really wait out their startup here, so the abort lands while they run.
    const opts = runOptions(runId, { signal: controller.signal, repetitions: 3, appStartup: 'sleep' });
    const slow = scenario('slow', [service('slow', 4, [['t-base', 3 * MiB]], { startupMs: 5_000 })], 2);
    let created = 0;
    const progress = (message: string): void => {
      if (message.includes('batch 1/3')) setTimeout(() => controller.abort('SIGINT'), 1_500);
      created += 1;
    };
    const started = performance.now();
    const error = await dockerBackend.run(slow, { ...opts, progress }).catch((e: unknown) => e);
    const stoppedAfter = performance.now() - started;
    await opts.cleanup.run();
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).signal).toBe('SIGINT');
    expect(created).toBeGreaterThan(0);
    // The first wave's apps wait 5 s: an interrupted run must not wait for them.
    expect(stoppedAfter).toBeLessThan(5_000);
    expect(await runContainers(runId)).toBe(0);
    expect(opts.cleanup.failures).toEqual([]);
  });

  it('reports an OOM kill as such, not as a slow start', { timeout: 60_000 }, async () => {
    const runId = `${runPrefix}-oom`;
    const opts = runOptions(runId);
    // 64 MiB app in a container limited to 64 MiB - 56 MiB = 8 MiB: the dd holding its memory is killed.
    const backend = createDockerBackend({ memoryMarginBytes: -56 * MiB });
    const hungry = scenario('hungry', [service('hungry', 1, [['t-base', 3 * MiB]], { memoryBytes: 64 * MiB })]);
    const result = completedResult(await backend.run(hungry, opts));
    await opts.cleanup.run();
    expect(result.state).toBe('partial');
    expect(result.error).toContain('OOM');
    expect(result.metrics.startupAllMs).toBeNull();
    expect(await runContainers(runId)).toBe(0);
  });

  it('reaps containers an earlier crashed run left behind', { timeout: 60_000 }, async () => {
    const crashed = `${runPrefix}-crashed`;
    const images = await ensureImages(engine, [service('left', 1, [['t-base', 3 * MiB]])], new AbortController().signal, () => {});
    await engine.createContainer({ image: images[0]!.ref, command: ['/bin/true'], labels: { [RUN_LABEL]: crashed }, memoryLimitBytes: 8 * MiB, pidsLimit: 8, shmBytes: MiB });
    expect(await runContainers(crashed)).toBe(1);
    const opts = runOptions(`${runPrefix}-after`);
    await dockerBackend.run(scenario('tiny', [service('tiny', 1, [['t-base', 3 * MiB]])]), opts);
    await opts.cleanup.run();
    expect(await runContainers(crashed)).toBe(0);
  });
});

describe('engine failures', () => {
  it('names how to start an engine when none answers', async () => {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/isobench-test.sock';
    try {
      await expect(dockerBackend.probe()).rejects.toThrow(/No Docker engine answers at \/nonexistent\/isobench-test\.sock .*setup-engines\.sh docker/);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });
});

async function sharedSize(engine: DockerEngine, imageId: string): Promise<number> {
  return (await engine.diskUsage()).images.find((image) => image.id === imageId)?.sharedBytes ?? -1;
}
