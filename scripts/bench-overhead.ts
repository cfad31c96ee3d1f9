// `npm run bench:overhead`: does isobench's own start-to-ready measurement cost more than Docker's
// CLI? Interleaved on one image: the suite's create -> attach -> start -> ready marker (dockerode),
// against `docker run --rm --network none IMAGE true` timed around the CLI process. Prints both and
// their ratio. Needs a Docker engine and the docker CLI.

import { execa } from 'execa';
import { CleanupStack } from '../src/backends/shared/cleanup.js';
import { DockerEngine } from '../src/backends/shared/docker-api/engine.js';
import { ensureImages } from '../src/backends/shared/docker-images.js';
import { startContainer } from '../src/backends/shared/docker-api/instance.js';
import { containerSpec, DEFAULT_DOCKER_RUN_CONFIG } from '../src/backends/shared/docker-api/run.js';
import { sampleStats } from '../src/backends/shared/stats.js';
import type { ServiceSpec } from '../src/scenario/types.js';
import { runController } from '../src/backends/shared/abort.js';
import { exitOnKnownErrors } from './lib/known-errors.js';

exitOnKnownErrors('bench:overhead');

const rounds = Number(process.env.ROUNDS ?? 15);
const runId = `overhead-${Date.now().toString(36)}`;
const service: ServiceSpec = {
  name: 'overhead',
  instances: 1,
  app: { memoryBytes: 0, startupMs: 0, files: [] },
  image: { layers: [{ id: 'overhead-base', sizeBytes: 4 * 1024 ** 2 }] },
  container: { runtime: 'docker-runc' },
  vm: { hypervisor: 'qemu-kvm', memoryBytes: 0, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'none', sizeBytes: 0 } },
};

const engine = await DockerEngine.connect();
const cleanup = new CleanupStack();
const controller = runController();
process.once('SIGINT', () => controller.abort('SIGINT'));
try {
  const [image] = await ensureImages(engine, [service], controller.signal, (m) => console.error(m));
  const spec = containerSpec(service, image!.ref, runId, DEFAULT_DOCKER_RUN_CONFIG, true);
  const suite: number[] = [];
  const cli: number[] = [];
  const suiteOnce = async (): Promise<number> => {
    const started = await startContainer({ engine, cleanup, signal: controller.signal, timeoutMs: 30_000, batchStart: performance.now() }, spec, 0, 'overhead');
    await started.remove();
    if (started.outcome.state !== 'ready') throw new Error(`suite start failed: ${started.outcome.message}`);
    return started.outcome.startupMs;
  };
  const cliOnce = async (): Promise<number> => {
    const t0 = performance.now();
    await execa('docker', ['run', '--rm', '--network', 'none', '--label', `isobench.run=${runId}`, image!.ref, 'true']);
    return performance.now() - t0;
  };
  // One unmeasured round of each warms caches; then alternate which goes first.
  await suiteOnce();
  await cliOnce();
  for (let i = 0; i < rounds; i += 1) {
    if (i % 2 === 0) {
      suite.push(await suiteOnce());
      cli.push(await cliOnce());
    } else {
      cli.push(await cliOnce());
      suite.push(await suiteOnce());
    }
  }
  const s = await sampleStats(suite);
  const c = await sampleStats(cli);
  const fmt = (x: number): string => `${x.toFixed(1)} ms`;
  console.log(`isobench overhead, ${rounds} interleaved rounds on ${image!.ref} (Docker ${(await engine.info()).engineVersion})`);
  console.log(`  suite start-to-ready (create, attach, start, ready marker): mean ${fmt(s.mean)}, p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, rme ${(s.rme * 100).toFixed(1)}%`);
  console.log(`  docker run --rm IMAGE true (CLI wall, includes removal):   mean ${fmt(c.mean)}, p50 ${fmt(c.p50)}, p99 ${fmt(c.p99)}, rme ${(c.rme * 100).toFixed(1)}%`);
  console.log(
    `  ratio suite / CLI: ${(s.mean / c.mean).toFixed(2)} (mean), ${(s.p50 / c.p50).toFixed(2)} (p50)${s.mean <= c.mean ? ' - the suite measures no more than the CLI does' : ' - the suite measures MORE than the CLI'}`,
  );
} finally {
  await cleanup.run();
  for (const c of await engine.listContainers(`isobench.run=${runId}`)) await engine.removeContainer(c.id);
}
