// An instance that never becomes ready, and one killed for exceeding its memory limit: the report
// says so for that result, and the run goes on (--on-instance-failure continue, the default) or
// stops (stop: partial report, exit 3) as configured.
//
// Timeouts go through the real CLI (a 10 min app startup against --instance-timeout 2s). An OOM kill
// cannot be provoked through the CLI: the docker backend sizes every container's limit as app.memory
// + 32 MiB, so a scenario's app always fits. It is provoked one level down, through the CLI's own real
// phase (runReal) and report builder, with a docker backend whose margin is -56 MiB (a 64 MiB app in an
// 8 MiB limit), as test/backends/docker does.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerBackend } from '../../src/backends/docker/index.js';
import type { RealBackend } from '../../src/backends/types.js';
import { parseBenchOptions } from '../../src/cli/bench-options.js';
import { runReal } from '../../src/cli/real-run.js';
import { EngineError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { buildReport, scenarioReport } from '../../src/report/build.js';
import { currentEnvironment } from '../../src/report/environment.js';
import type { PlatformResult } from '../../src/report/types.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { needs } from '../engines.js';
import { containersOf, FIXTURES, leftoverCount, NEED_OF, leftovers, recordFigure, runCli, scratchDir } from './harness.js';

const NEVER_READY = join(FIXTURES, 'never-ready.yaml');
const QUICK = join(FIXTURES, 'quick.yaml');
const FILE = 'test/reliability/instance-failures.test.ts';

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folders(name: string): Promise<{ results: string; tmp: string }> {
  const dir = await scratchDir(name);
  scratch.push(dir);
  await mkdir(join(dir, 'tmp'));
  return { results: join(dir, 'results'), tmp: join(dir, 'tmp') };
}

function measured(report: { scenarios: { name: string; results: PlatformResult[] }[] }, scenario: string, backend: string): PlatformResult | undefined {
  return report.scenarios.find((s) => s.name === scenario)?.results.find((r) => r.backend === backend);
}

for (const backend of ['docker', 'host'] as const) {
  const engine = await needs(FILE, NEED_OF[backend]);

  describe.runIf(engine.run)(engine.title(`an instance that never becomes ready: bench --real ${backend}`), () => {
    beforeAll(engine.check);
    // The app really waits out its startup (10 min against a 2 s timeout): the timeout is a real one.
    const common = ['--real', backend, '--repetitions', '1', '--warmup', '0', '--instance-timeout', '2s', '--real-app-startup', 'sleep', '--json'];

    it('continue (default): that instance fails at its timeout, the rest is measured, the report says so, exit 0', { timeout: 120_000 }, async () => {
      const { results, tmp } = await folders(`${backend}-continue`);
      const ended = await runCli(['--scenario', NEVER_READY, '--scenario', QUICK, ...common, '--results', results], tmp);
      const left = await leftovers(ended.code === 0 ? JSON.parse(ended.stdout).runId : undefined, tmp);
      await recordFigure({ kind: 'fault', name: `instance timeout, continue (${backend})`, survived: ended.code === 0, leftovers: leftoverCount(left), exitCode: ended.code });
      expect(ended.code, ended.stderr).toBe(0);
      const report = JSON.parse(ended.stdout);
      expect(report.partial).toBe(false);
      // never-ready: 'stuck' timed out; 'quick' (the second wave, concurrency 1) was still started and measured.
      const stuck = measured(report, 'never-ready', backend)!;
      expect(stuck.state).toBe('partial');
      expect(stuck.error).toMatch(/^batch 1: 1 instance of stuck timed out: no ready marker within 2 s/);
      expect(stuck.metrics.startupFirstMs).toBeGreaterThan(0);
      // The run went on to the next scenario.
      expect(measured(report, 'quick', backend)?.state).toBe('completed');
      expect(await readFile(join(results, 'report.md'), 'utf8')).toContain(`partial: batch 1: 1 instance of stuck timed out`);
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    });

    it('stop: the run ends at the failing instance with a partial report saying so, exit 3', { timeout: 120_000 }, async () => {
      const { results, tmp } = await folders(`${backend}-stop`);
      const ended = await runCli(['--scenario', NEVER_READY, '--scenario', QUICK, ...common, '--on-instance-failure', 'stop', '--results', results], tmp);
      const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
      const left = await leftovers(partial.runId, tmp);
      await recordFigure({ kind: 'fault', name: `instance timeout, stop (${backend})`, survived: ended.code === 3, leftovers: leftoverCount(left), exitCode: ended.code });
      expect(ended.code, ended.stderr).toBe(3);
      expect(ended.stdout).toBe('');
      expect(ended.stderr).toContain(`never-ready (${backend}): batch 1: 1 instance of stuck timed out`);
      expect(ended.stderr).toContain('stopped there (--on-instance-failure stop)');
      expect(partial.partial).toBe(true);
      // Stopped at the first failure: 'quick' of the same batch was never started, so nothing is measured.
      const stuck = measured(partial, 'never-ready', backend)!;
      expect(stuck.state).toBe('partial');
      expect(stuck.metrics.startupFirstMs).toBeNull();
      expect(measured(partial, 'quick', backend)).toBeUndefined();
      expect(partial.notes).toContain('completed: no real run');
      await expect(readFile(join(results, 'report.json'))).rejects.toThrow(/ENOENT/);
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
    });
  });
}

const qemu = await needs(FILE, 'qemu');

describe.runIf(qemu.run)(qemu.title('a QEMU guest that never signals ready: bench --real qemu'), () => {
  beforeAll(qemu.check);

  it('is killed at its timeout and reported; the other guest and the next scenario are measured, exit 0', { timeout: 180_000 }, async () => {
    const { results, tmp } = await folders('qemu-continue');
    // 20 s: a guest boots well within it even under TCG emulation; the stuck one sleeps 10 min.
    const ended = await runCli(
      ['--scenario', NEVER_READY, '--scenario', QUICK, '--real', 'qemu', '--repetitions', '1', '--warmup', '0', '--instance-timeout', '20s', '--json', '--results', results],
      tmp,
    );
    const left = await leftovers(undefined, tmp);
    await recordFigure({ kind: 'fault', name: 'guest hangs before ready (qemu)', survived: ended.code === 0, leftovers: leftoverCount(left), exitCode: ended.code });
    expect(ended.code, ended.stderr).toBe(0);
    const report = JSON.parse(ended.stdout);
    const stuck = measured(report, 'never-ready', 'qemu')!;
    expect(stuck.state).toBe('partial');
    expect(stuck.error).toMatch(/did not signal ready within 20000 ms and was killed/);
    expect(measured(report, 'quick', 'qemu')?.state).toBe('completed');
    expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
  });
});

const docker = await needs(FILE, 'docker');

describe.runIf(docker.run)(docker.title('a container killed for exceeding its memory limit'), () => {
  beforeAll(docker.check);

  /** The CLI's real phase and report on `hungry` then `quick`, with the OOM-provoking backend. */
  async function realPhase(onInstanceFailure: 'continue' | 'stop') {
    const catalog = builtinCatalog();
    const dir = await scratchDir('oom');
    scratch.push(dir);
    const hungryFile = join(dir, 'hungry.yaml');
    // 64 MiB app; the backend gives it 64 MiB - 56 MiB = 8 MiB: the dd holding its memory is killed.
    await writeFile(
      hungryFile,
      'name: hungry\ndescription: An app holding 64 MiB in a container limited to 8 MiB.\nservices:\n' +
        '  - { name: hungry, instances: 1, app: { memory: 64MiB, startup: 10ms }, image: { layers: [{ id: reliability-base, size: 1MiB }] } }\n',
    );
    const scenarios = await loadScenarios([hungryFile, QUICK], catalog);
    const options = parseBenchOptions({ real: ['docker'], repetitions: '1', warmup: '0', instanceTimeout: '20s', onInstanceFailure, realAppStartup: 'sleep' });
    const backend: RealBackend = createDockerBackend({ memoryMarginBytes: -56 * 1024 ** 2 });
    const runId = `reliability-oom-${process.pid}-${onInstanceFailure}`;
    const environment = currentEnvironment({ docker: await backend.probe() });
    const outcome = await runReal({ runId, scenarios, backends: [backend], catalog, environment, options, signal: new AbortController().signal, progress: () => {} });
    const report = buildReport({
      runId,
      createdAt: new Date(),
      environment,
      partial: outcome.stopped !== undefined,
      scenarios: scenarios.map((s) => scenarioReport(s, outcome.results.get(s.name) ?? [])),
    });
    return { outcome, report, containers: await containersOf(runId) };
  }

  it('continue: reported as an OOM kill, not a slow start; the next scenario runs', { timeout: 120_000 }, async () => {
    const { outcome, report, containers } = await realPhase('continue');
    await recordFigure({ kind: 'fault', name: 'OOM kill, continue (docker)', survived: outcome.stopped === undefined, leftovers: containers.length, exitCode: undefined });
    expect(outcome.stopped).toBeUndefined();
    const hungry = measured(report, 'hungry', 'docker')!;
    expect(hungry.state).toBe('partial');
    expect(hungry.error).toMatch(/1 instance of hungry killed by the OOM killer \(memory limit exceeded\): container \w+ was OOM-killed at its 8388608-byte limit/);
    // No start time is made up for an instance that never got ready.
    expect(hungry.metrics.startupAllMs).toBeNull();
    expect(renderMarkdown(report)).toContain('partial: batch 1: 1 instance of hungry killed by the OOM killer');
    expect(measured(report, 'quick', 'docker')?.state).toBe('completed');
    expect(containers).toEqual([]);
  });

  it('stop: the real phase ends there with an EngineError (exit 3) naming the OOM kill', { timeout: 120_000 }, async () => {
    const { outcome, report, containers } = await realPhase('stop');
    await recordFigure({ kind: 'fault', name: 'OOM kill, stop (docker)', survived: outcome.stopped?.error instanceof EngineError, leftovers: containers.length, exitCode: undefined });
    expect(outcome.stopped?.error).toBeInstanceOf(EngineError);
    expect(outcome.stopped?.during).toBe('hungry (docker)');
    expect((outcome.stopped!.error as Error).message).toMatch(/hungry \(docker\): batch 1: 1 instance of hungry killed by the OOM killer/);
    expect(report.partial).toBe(true);
    expect(measured(report, 'hungry', 'docker')?.state).toBe('partial');
    expect(measured(report, 'quick', 'docker')).toBeUndefined();
    expect(outcome.cleanupFailures).toEqual([]);
    expect(containers).toEqual([]);
  });
});
