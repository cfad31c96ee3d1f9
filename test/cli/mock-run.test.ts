// `bench --real mock` through the built CLI (ISOBENCH_MOCK_BACKEND=1): the real-run path (probe,
// progress with time left, the shared driver, the as-run model beside the result, the report, an
// interrupt with a partial report) without any engine. The mock's numbers are synthetic and say so.

import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir, TINY } from './run-cli.js';

const BIN = join(ROOT, 'bin/isobench.js');
const env = { NO_COLOR: '1', ISOBENCH_MOCK_BACKEND: '1' };
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('bench --real mock', () => {
  it('measures through the shared driver, models what ran beside it, and prints how far along it is', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const run = await execa('node', [BIN, '--scenario', TINY, '--real', 'mock', '--repetitions', '2', '--warmup', '1', '--json', '--results', dir], { reject: false, env });
    expect(run.exitCode, run.stderr).toBe(0);
    // One step (1 scenario x 1 backend) of 3 batches: the line before batch 2 says a third is done.
    expect(run.stderr).toMatch(/^\[0% · \d+ s in · estimating time left\] mock: warm-up 1\/1 of 2 instance\(s\)$/m);
    expect(run.stderr).toMatch(/^\[33% · \d+ s in · about \d+ s left\] mock: batch 1\/2 of 2 instance\(s\)$/m);
    const report = JSON.parse(run.stdout);
    const results = report.scenarios[0].results.filter((r: { asRun?: unknown; backend: string }) => r.backend === 'mock' || r.asRun !== undefined);
    expect(results.map((r: { backend: string; platform: string }) => `${r.backend}:${r.platform}`)).toEqual(['model:process', 'mock:process']);
    const mock = results[1];
    expect(mock.provenance).toMatchObject({ kind: 'measured', engine: 'mock', repetitions: 2 });
    expect(mock.notes[0]).toBe('mock backend: synthetic timings for testing the CLI; nothing was measured');
    // Memory and disk: nothing measured, so null, never 0.
    expect(mock.metrics.memoryPerInstanceBytes).toBeNull();
    expect(mock.metrics.diskPerInstanceBytes).toBeNull();
    // The last batch's timeline: both instances (concurrency 2), requested at 0.
    expect(mock.timeline.map((t: { requestedMs: number }) => t.requestedMs)).toEqual([0, 0]);
    expect(report.notes).toContain('real backends: mock; scale 1, at most 20 instances, 1 warm-up and 2 measured repetitions');
  });

  it('SIGINT mid-run: exit 130 and a partial report beside the last good one', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    dirs.push(dir);
    // 50 batches that each sleep the 50 ms startup (about 3 s): the signal lands mid-run.
    const child = execa('node', [BIN, '--scenario', TINY, '--real', 'mock', '--real-app-startup', 'sleep', '--repetitions', '50', '--warmup', '0', '--results', dir], { reject: false, env });
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('mock: batch 1/50')) resolve();
      });
    });
    child.kill('SIGINT');
    const ended = await child;
    expect(ended.exitCode, ended.stderr).toBe(130);
    const partial = JSON.parse(await readFile(join(dir, 'report.partial.json'), 'utf8'));
    expect(partial.partial).toBe(true);
    expect(partial.notes).toContain('completed: no real run');
  });
});
