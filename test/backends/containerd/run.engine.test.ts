// Needs containerd, ctr, runc and root (test/engines.ts 'containerd'): skipped with the reason when
// missing, failed under ISOBENCH_REQUIRE_ENGINES=1. Each run starts its own containerd in a private
// TMPDIR; afterwards nothing of it may be left: no folder, no daemon, no shim, no mount.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerdBackend } from '../../../src/backends/containerd/index.js';
import { InterruptedError } from '../../../src/errors.js';
import { needs } from '../../engines.js';
import { completedResult } from '../outcome.js';
import { KiB, MiB, scenario, service, runOptions } from '../docker/fixtures.js';

const gate = await needs('test/backends/containerd/run.engine.test.ts', 'containerd', 'busybox');
const outerTmp = process.env['TMPDIR'];
let tmp: string;

/** What an own containerd run may leave: its folders in TMPDIR, processes naming them, mounts under them. */
async function traces(): Promise<{ folders: string[]; processes: string[]; mounts: string[] }> {
  const folders = (await readdir(tmp)).filter((name) => name.startsWith('isobench-containerd-'));
  const processes: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (cmdline.includes(tmp) && !/^State:\s+Z/m.test(status)) processes.push(`${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 120)}`);
  }
  const mounts = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => line.includes(tmp));
  return { folders, processes, mounts };
}

describe.runIf(gate.run)(gate.title('containerd backend on its own containerd'), () => {
  beforeAll(async () => {
    gate.check();
    tmp = await mkdtemp(join(tmpdir(), 'isobench-ctd-test-'));
    process.env['TMPDIR'] = tmp;
    expect((await containerdBackend.probe()).containerd).toMatch(/containerd/);
  });
  afterAll(async () => {
    await containerdBackend.clean({ includeLive: true, tempDir: tmp });
    if (outerTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = outerTmp;
    await rm(tmp, { recursive: true, force: true });
  });

  it('measures a small run and leaves nothing behind', { timeout: 90_000 }, async () => {
    const opts = runOptions('ctd-small', { repetitions: 2, warmup: 1 });
    const small = scenario(
      'small',
      [
        service(
          'web',
          3,
          [
            ['t-base', 2 * MiB],
            ['t-app', 256 * KiB],
          ],
          { memoryBytes: 4 * MiB, startupMs: 20, files: [{ path: '/var/log/a.log', sizeBytes: 0, writeBytes: 64 * KiB, mode: 'create' }] },
        ),
      ],
      3,
    );
    try {
      const result = completedResult(await containerdBackend.run(small, opts));
      expect(result.state).toBe('completed');
      expect(result.provenance).toMatchObject({ kind: 'measured', engine: 'containerd', runtime: 'runc', repetitions: 2 });
      // Three ready instances, each start longer than the 20 ms declared startup added to it.
      expect(result.metrics.startupAllMs).toBeGreaterThan(20);
      expect(result.timeline).toHaveLength(3);
      // The app holds 4 MiB of anonymous memory: its PSS is at least that; with the shim well under 64 MiB.
      expect(result.metrics.memoryPerInstanceBytes).toBeGreaterThan(4 * MiB);
      expect(result.metrics.memoryPerInstanceBytes).toBeLessThan(64 * MiB);
      expect(result.metrics.memorySharedBytes).toBeGreaterThan(0);
      // The only file the app writes in the image's filesystem: 64 KiB created (its fifo is in /dev/shm, a tmpfs).
      expect(result.metrics.diskPerInstanceBytes).toBe(64 * KiB);
      // Two layers, each at least its random filler: 2 MiB (busybox in it) and 256 KiB.
      expect(result.metrics.diskSharedBytes).toBeGreaterThanOrEqual(2 * MiB + 256 * KiB);
    } finally {
      await opts.cleanup.run();
    }
    expect(opts.cleanup.failures).toEqual([]);
    expect(await traces()).toEqual({ folders: [], processes: [], mounts: [] });
  });

  it('an abort mid-batch throws InterruptedError and its cleanup leaves nothing', { timeout: 90_000 }, async () => {
    const controller = new AbortController();
    let started = false;
    const opts = runOptions('ctd-abort', {
      signal: controller.signal,
      appStartup: 'sleep',
      progress: (line) => {
        if (line.includes('batch 1/1') && !started) {
          started = true;
          setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 1_000);
        }
      },
    });
    const slow = scenario('slow', [service('slow', 2, [['t-base', MiB]], { memoryBytes: MiB, startupMs: 30_000 })], 2);
    await expect(containerdBackend.run(slow, opts)).rejects.toBeInstanceOf(InterruptedError);
    await opts.cleanup.run();
    expect(opts.cleanup.failures).toEqual([]);
    expect(await traces()).toEqual({ folders: [], processes: [], mounts: [] });
  });
});
