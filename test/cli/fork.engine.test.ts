// fork() copy-on-write measured for real: `bench --real host,docker` on a pre-forked app (fork-app,
// built by `scripts/setup-engines.sh fork-app`). Skipped with the reason without busybox, Docker or
// fork-app; failed under ISOBENCH_REQUIRE_ENGINES=1.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformResult, Report } from '../../src/report/types.js';
import { needs } from '../engines.js';
import { ROOT, runCli, tempDir } from './run-cli.js';

const PREFORK = join(ROOT, 'test/cli/fixtures/prefork.yaml');
const MiB = 1024 ** 2;
const gate = await needs('test/cli/fork.engine.test.ts', 'busybox', 'docker', 'fork-app');

describe.runIf(gate.run)(gate.title('a pre-forked app measured on the host and in Docker'), () => {
  let report: Report;
  let dir = '';
  beforeAll(async () => {
    gate.check();
    dir = await tempDir();
    const run = await runCli(['bench', '--scenario', PREFORK, '--real', 'host,docker', '--repetitions', '2', '--warmup', '0', '--results', dir]);
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
  }, 120_000);
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const result = (backend: string): PlatformResult => report.scenarios[0]!.results.find((r) => r.backend === backend)!;
  const asRun = (platform: string): PlatformResult => report.scenarios[0]!.results.find((r) => r.backend === 'model' && r.asRun !== undefined && r.platform === platform)!;

  it('measures about the parent once plus each worker its writes: PSS below 1.5 x the parent', () => {
    // 64 MiB parent, 4 workers x 6.4 MiB written: 89.6 MiB of pages, 1.4 x the parent (plus sh, sleep).
    // In Docker the app's processes (the breakdown's "app"), not the containerd shim beside them.
    const appPss = (backend: string): number => (backend === 'host' ? result(backend).metrics.memoryPerInstanceBytes! : result(backend).breakdown.memory.find((item) => item.label === 'app')!.value);
    for (const backend of ['host', 'docker']) {
      const memory = appPss(backend);
      expect(memory, backend).toBeGreaterThan(64 * MiB + 4 * 6 * MiB);
      expect(memory, backend).toBeLessThan(1.5 * 64 * MiB);
    }
  });

  it('holds the model as run within 20% of the measured memory', () => {
    for (const [backend, platform] of [
      ['host', 'process'],
      ['docker', 'container'],
    ] as const) {
      const measured = result(backend).metrics.memoryPerInstanceBytes!;
      const modeled = asRun(platform).metrics.memoryPerInstanceBytes!;
      expect(Math.abs(modeled - measured) / measured, backend).toBeLessThan(0.2);
    }
  });

  it('measures the unique set: each worker its copies, the parent the originals', () => {
    // 5 processes x 6.4 MiB of written pages = 32 MiB unique; the other 57.6 MiB is shared.
    const unique = result('host').metrics.memoryUniqueBytes!;
    expect(unique).toBeGreaterThan(30 * MiB);
    expect(unique).toBeLessThan(40 * MiB);
    // In the container too: its processes' USS plus the shim's own few MiB.
    expect(result('docker').metrics.memoryUniqueBytes!).toBeGreaterThan(30 * MiB);
    expect(result('docker').metrics.memoryUniqueBytes!).toBeLessThan(48 * MiB);
  });
});
