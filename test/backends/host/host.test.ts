// Real processes on this host (needs only /bin/busybox from busybox-static, asked through test/engines.ts).

import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { CleanupStack } from '../../../src/backends/shared/cleanup.js';
import { appScript, shQuote, writeCommand } from '../../../src/backends/shared/app-script.js';
import { hostBackend } from '../../../src/backends/host/index.js';
import { cpuNotes, hostResult } from '../../../src/backends/host/run.js';
import { completedResult } from '../outcome.js';
import { describeFailures } from '../../../src/backends/shared/instances.js';
import { parseSmapsRollup, parseStat } from '../../../src/backends/shared/proc.js';
import { tempPrefix } from '../../../src/backends/shared/temp.js';
import { waves } from '../../../src/backends/shared/waves.js';
import { InterruptedError } from '../../../src/errors.js';
import { needs } from '../../engines.js';
import { KiB, MiB, scenario, service } from '../docker/fixtures.js';

const busybox = await needs('test/backends/host/host.test.ts', 'busybox');

describe('app script', () => {
  it('writes each mode with its real open mode', () => {
    const file = { path: '/var/a b', sizeBytes: 100, writeBytes: 5 };
    expect(writeCommand({ ...file, mode: 'create' }, '')).toBe("$B head -c 5 /dev/zero >'/var/a b'");
    expect(writeCommand({ ...file, mode: 'append' }, '')).toBe("$B head -c 5 /dev/zero >>'/var/a b'");
    expect(writeCommand({ ...file, mode: 'overwrite' }, '/r')).toBe("$B head -c 5 /dev/zero >'/r/var/a b'");
    expect(writeCommand({ ...file, mode: 'modify' }, '')).toBe("$B head -c 5 /dev/zero | $B dd of='/var/a b' bs=65536 conv=notrunc 2>/dev/null");
  });

  it('quotes for sh', () => {
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('holds memory only when the app has some', () => {
    const options = { busybox: '/bin/busybox', scratchDir: '/dev/shm', rootDir: '' };
    expect(appScript({ memoryBytes: 0, startupMs: 10, files: [] }, options)).not.toContain('dd if=/dev/zero');
    expect(appScript({ memoryBytes: 4096, startupMs: 10, files: [] }, options)).toContain('dd if=/dev/zero bs=4096 count=1');
  });
});

describe('helpers', () => {
  it('splits instances into waves of the concurrency', () => {
    expect(waves(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(waves(2, 8)).toEqual([[0, 1]]);
  });

  it('reads smaps_rollup and stat lines', () => {
    const memory = parseSmapsRollup(7, 'Rss:  100 kB\nPss:   60 kB\nPrivate_Clean: 4 kB\nPrivate_Dirty: 40 kB\n');
    // 100 kB = 102400 B; 60 kB = 61440 B; private 4 + 40 = 44 kB = 45056 B
    expect(memory).toEqual({ pid: 7, rssBytes: 102400, pssBytes: 61440, privateBytes: 45056 });
    expect(parseStat('42 (containerd-shim) S 1 42 42 0')).toEqual({ pid: 42, comm: 'containerd-shim', ppid: 1, pgrp: 42 });
    expect(parseStat('43 (a) b) S 5 9 9 0')).toEqual({ pid: 43, comm: 'a) b', ppid: 5, pgrp: 9 });
  });

  it('reports shared memory as not measured (null with a note), never 0', () => {
    const s = scenario('host', [service('app', 1, [['base', 1 * MiB]])]);
    const result = hostResult(s, { scale: 1 }, [], [], { pssBytes: [2 * MiB], rssBytes: [3 * MiB], ussBytes: [1 * MiB], diskPerInstanceBytes: 0 }, 1 * MiB, [], false);
    expect(result.metrics.memorySharedBytes).toBeNull();
    expect(result.notes).toContain('memory shared: not measured (null): the page cache of the installed files the processes share is not attributed here');
    // What was measured stays: 2 MiB PSS per instance.
    expect(result.metrics.memoryPerInstanceBytes).toBe(2 * MiB);
    // ... and the unique set: 1 MiB of its 2 MiB PSS is its own.
    expect(result.metrics.memoryUniqueBytes).toBe(1 * MiB);
    // No batch measured: no startup figure is made up.
    expect(result.metrics.startupFirstMs).toBeNull();
  });

  it("states the batches' CPU per instance: the parent's and the rest of the machine's", () => {
    // (1 + 2) / 2 = 1.5 ms of the parent's, (6 + 10) / 2 = 8 ms of the children's.
    expect(cpuNotes([])).toEqual([]);
    expect(
      cpuNotes([
        { parentMs: 1, othersMs: 6 },
        { parentMs: 2, othersMs: 10 },
      ]),
    ).toEqual([
      "cpu per instance, first spawn -> all ready (mean of 2 batch(es)): the launching parent 1.50 ms, the children's processes 8.00 ms (the machine's CPU time less the parent's: anything else running counts too)",
    ]);
  });

  it('describes failures by service and kind', () => {
    const failed = (index: number) => ({ state: 'failed' as const, index, service: 'api', id: null, reason: 'timeout' as const, message: 'no ready marker within 1 s' });
    expect(describeFailures([failed(0), failed(1)])).toEqual(['2 instances of api timed out: no ready marker within 1 s']);
  });
});

describe.runIf(busybox.run)(busybox.title('host backend'), () => {
  beforeAll(busybox.check);
  const options = (runId: string, signal = new AbortController().signal) => ({
    runId,
    scale: 1,
    maxInstances: 20,
    repetitions: 2,
    warmup: 1,
    instanceTimeoutMs: 10_000,
    signal,
    cleanup: new CleanupStack(),
    progress: () => {},
  });

  it('measures processes and removes its temp dir', { timeout: 30_000 }, async () => {
    const runId = `test-host-${process.pid}`;
    const opts = options(runId);
    const s = scenario(
      'host',
      [
        service('app', 3, [['base', 1 * MiB]], {
          memoryBytes: 16 * MiB,
          files: [
            { path: '/var/new.log', sizeBytes: 0, writeBytes: 10 * KiB, mode: 'create' },
            { path: '/usr/lib/big.so', sizeBytes: 1 * MiB, writeBytes: 1, mode: 'modify' },
          ],
        }),
      ],
      2,
    );
    const result = completedResult(await hostBackend.run(s, opts));
    await opts.cleanup.run();
    expect(result.state).toBe('completed');
    expect(result.platform).toBe('process');
    // The app holds 16 MiB resident in its dd buffer: its group's PSS is at least that.
    expect(result.metrics.memoryPerInstanceBytes).toBeGreaterThanOrEqual(16 * MiB);
    // A process modifies the shared file in place: only the 10 KiB created file is new per instance.
    expect(result.metrics.diskPerInstanceBytes).toBe(10 * KiB);
    // Installed once, laid out like the image: the 1 MiB layer holds busybox and the 1 MiB file,
    // so it grows to busybox + 1 MiB (no filler left).
    expect(result.metrics.diskSharedBytes).toBe(statSync('/bin/busybox').size + 1 * MiB);
    expect(result.metrics.startupP50Ms).toBeGreaterThanOrEqual(50);
    // Concurrency 2: instances 0 and 1 are one wave, requested at once; the second waits for the
    // parent to spawn the first, and that wait is part of its startup.
    const [first, second] = result.timeline ?? [];
    expect(second!.requestedMs).toBe(first!.requestedMs);
    expect(second!.phases[0]!.label).toBe('spawn queue');
    expect(second!.phases[0]!.endMs).toBeGreaterThan(second!.phases[0]!.startMs);
    expect((result.notes ?? []).some((n) => n.startsWith('cpu per instance, first spawn -> all ready (mean of 2 batch(es))'))).toBe(true);
    const left = (await readdir(tmpdir())).filter((name) => name.startsWith(`${tempPrefix('host')}${process.pid}-${runId}`));
    expect(left).toEqual([]);
  });

  it('stops on abort, kills its processes and removes its files', { timeout: 30_000 }, async () => {
    const runId = `test-host-abort-${process.pid}`;
    const controller = new AbortController();
    const opts = { ...options(runId, controller.signal), appStartup: 'sleep' as const };
    const s = scenario('slow', [service('slow', 2, [['base', 64 * KiB]], { startupMs: 20_000 })], 2);
    setTimeout(() => controller.abort('SIGTERM'), 500);
    const error = await hostBackend.run(s, opts).catch((e: unknown) => e);
    await opts.cleanup.run();
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).signal).toBe('SIGTERM');
    const left = (await readdir(tmpdir())).filter((name) => name.startsWith(`${tempPrefix('host')}${process.pid}-${runId}`));
    expect(left).toEqual([]);
  });
});
