// `isobench clean` (src/cli/clean.ts): everything isobench made goes, on the engine and in temp.

import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureImages, IMAGE_LABEL } from '../../../src/backends/shared/docker-images.js';
import { ownerLabels, RUN_LABEL } from '../../../src/backends/shared/docker-api/reap.js';
import { cleanEverything, describeClean } from '../../../src/cli/clean.js';
import { dockerEngine, needs } from '../../engines.js';
import { MiB, service } from './fixtures.js';

/** No Docker engine and no Podman service answer here (Podman is not started when its socket is named). */
const NO_ENGINES = { DOCKER_HOST: 'unix:///nonexistent/isobench.sock', ISOBENCH_PODMAN_SOCKET: 'unix:///nonexistent/isobench-podman.sock' };

describe('clean without an engine', () => {
  it("removes every backend's temp folders of finished runs, spares live runs' (host and QEMU), and leaves other files alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clean-test-'));
    try {
      // 999999999: no such process (a finished or crashed run); process.pid: a run in progress.
      await mkdir(join(dir, 'isobench-host-999999999-run1-abc'));
      await mkdir(join(dir, `isobench-host-${process.pid}-live-abc`));
      await mkdir(join(dir, 'isobench-qemu-999999999-run2-x'));
      await mkdir(join(dir, `isobench-qemu-${process.pid}-live-x`));
      await writeFile(join(dir, `isobench-qemu-${process.pid}-live-x`, 'b0-g0.qcow2'), '');
      await writeFile(join(dir, 'other-file'), '');
      const result = await cleanEverything({ tempDir: dir, env: NO_ENGINES });
      expect(result.notes.some((note) => note.startsWith('Docker skipped:'))).toBe(true);
      // Two finished runs' folders go; the live host run and the live QEMU run (with its disk) stay.
      expect((await readdir(dir)).sort()).toEqual([`isobench-host-${process.pid}-live-abc`, `isobench-qemu-${process.pid}-live-x`, 'other-file']);
      expect(await readdir(join(dir, `isobench-qemu-${process.pid}-live-x`))).toEqual(['b0-g0.qcow2']);
      expect(describeClean(result).split('\n')[0]).toBe('removed 0 containers, 0 images, 2 temp paths');
      expect(result.notes).toContain('kept 1 QEMU work folder(s) of a run in progress');
      // --include-live takes them too.
      await cleanEverything({ tempDir: dir, includeLive: true, env: NO_ENGINES });
      expect(await readdir(dir)).toEqual(['other-file']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const docker = await needs('test/backends/docker/clean.test.ts', 'docker');

describe.runIf(docker.run)(docker.title('clean on a real engine'), () => {
  beforeAll(docker.check);

  it("removes crashed runs' containers and unused isobench images, and spares a live run", { timeout: 60_000 }, async () => {
    const engine = await dockerEngine();
    const images = await ensureImages(engine, [service('clean', 1, [[`t-clean-${process.pid}`, 1 * MiB]])], new AbortController().signal, () => {});
    const ref = images[0]!.ref;
    const spec = { image: ref, command: ['/bin/true'], memoryLimitBytes: 8 * MiB, pidsLimit: 8, shmBytes: MiB };
    // No owner labels: a crashed run of an older isobench. Owner labels of this process: a live run.
    const crashed = await engine.createContainer({ ...spec, labels: { [RUN_LABEL]: 'clean-test-crashed' } });
    const live = await engine.createContainer({ ...spec, labels: { [RUN_LABEL]: 'clean-test-live', ...ownerLabels() } });
    const dir = await mkdtemp(join(tmpdir(), 'clean-test-'));
    try {
      const result = await cleanEverything({ tempDir: dir });
      expect(result.notes.filter((note) => note.startsWith('Docker skipped'))).toEqual([]);
      let ids = (await engine.listContainers(RUN_LABEL)).map((c) => c.id);
      expect(ids).not.toContain(crashed);
      expect(ids).toContain(live);
      // The live run's image is in use: kept.
      expect((await engine.listImages(IMAGE_LABEL)).map((i) => i.id)).toContain(images[0]!.layers.id);
      await engine.removeContainer(live);
      await cleanEverything({ tempDir: dir });
      ids = (await engine.listContainers(RUN_LABEL)).map((c) => c.id);
      expect(ids).not.toContain(live);
      expect((await engine.listImages(IMAGE_LABEL)).map((i) => i.id)).not.toContain(images[0]!.layers.id);
    } finally {
      await engine.removeContainer(live);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
