// `bench --real docker` through the real CLI: the measured pair in the report, exit 3 without an
// engine, and SIGINT/SIGTERM mid-run (exit 130/143, partial report beside the last good one, no
// container left). Needs a Docker Engine: skipped with a visible reason without one, unless
// ISOBENCH_REQUIRE_ENGINES=1, where a missing engine fails.

import { execa } from 'execa';
import Docker from 'dockerode';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../engines.js';
import { ROOT, runCli, tempDir, TINY } from './run-cli.js';

const docker = await needs('test/cli/real.test.ts', 'docker');

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function scratch(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}

async function containersOf(runId: string): Promise<number> {
  const list = await new Docker().listContainers({ all: true, filters: { label: [`isobench.run=${runId}`] } });
  return list.length;
}

describe('bench --real without an engine', () => {
  it('exits 3 with one sentence and writes nothing', async () => {
    const results = join(await scratch(), 'results');
    const run = await execa('node', [join(ROOT, 'bin/isobench.js'), '--scenario', TINY, '--real', 'docker', '--results', results], {
      reject: false,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('isobench: engine unavailable or failed:');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    await expect(readFile(join(results, 'report.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe.runIf(docker.run)(docker.title('bench --real docker'), () => {
  beforeAll(docker.check);

  it('adds the as-run model and the measurement to the report, and leaves no container', async () => {
    const results = await scratch();
    const { code, stdout } = await runCli(['--scenario', TINY, '--real', 'docker', '--repetitions', '1', '--warmup', '0', '--json', '--results', results]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.partial).toBe(false);
    expect(report.environment.engines.docker).toBeDefined();
    const rows = report.scenarios[0].results.map((r: { platform: string; backend: string; asRun?: unknown }) => `${r.platform}/${r.backend}${r.asRun ? ' as run' : ''}`);
    expect(rows).toEqual(['process/model', 'container/model', 'vm/model', 'container/model as run', 'container/docker']);
    const measured = report.scenarios[0].results[4];
    expect(measured.provenance).toMatchObject({ kind: 'measured', engine: 'docker', instancesRequested: 2, scale: 1 });
    expect(await containersOf(report.runId)).toBe(0);
  }, 120_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s mid-run: exit %i, partial report beside the last good one, no container left',
    async (signal, exitCode) => {
      const results = await scratch();
      expect((await runCli(['--scenario', TINY, '--results', results])).code).toBe(0);
      const lastGood = await readFile(join(results, 'report.json'), 'utf8');
      const child = execa('node', [join(ROOT, 'bin/isobench.js'), '--scenario', TINY, '--real', 'docker', '--repetitions', '100', '--warmup', '0', '--results', results], {
        reject: false,
        cwd: ROOT,
      });
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/batch 2\//.test(stderr)) resolve();
        });
      });
      const sentAt = Date.now();
      child.kill(signal);
      const run = await child;
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(run.exitCode).toBe(exitCode);
      expect(run.stderr).toContain(`interrupted by ${signal}`);
      expect(await readFile(join(results, 'report.json'), 'utf8')).toBe(lastGood);
      const partial = JSON.parse(await readFile(join(results, 'report.partial.json'), 'utf8'));
      expect(partial.partial).toBe(true);
      expect(partial.notes).toContain(`stopped during tiny-web (docker): interrupted by ${signal}; cleaned up`);
      expect(await containersOf(partial.runId)).toBe(0);
    },
    120_000,
  );
});
