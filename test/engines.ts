// The one place a test asks for an engine or tool it needs (busybox, a Docker engine, QEMU with its
// guest kernel, Chromium, permission to mount a tmpfs). Absent: the block is skipped, its title says
// why, and a "[skip] file: reason" line is printed. Under ISOBENCH_REQUIRE_ENGINES=1 (CI) the block
// runs instead and `check()` fails it with the same reason, so no engine test can pass by skipping.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../src/backends/shared/docker-api/engine.js';
import { containerdBackend } from '../src/backends/containerd/index.js';
import { findQemuEngine } from '../src/backends/qemu/engine.js';
import { forkAppPath } from '../src/backends/shared/fork-app.js';

/** ISOBENCH_REQUIRE_ENGINES=1: a missing engine fails instead of skipping. */
export const required = process.env['ISOBENCH_REQUIRE_ENGINES'] === '1';

/** What a test may need from this machine. */
export type Need = 'busybox' | 'docker' | 'qemu' | 'chromium' | 'mount' | 'fork-app' | 'runsc' | 'crun' | 'podman' | 'containerd';

export const BUSYBOX = '/bin/busybox';
export const CHROMIUM = '/usr/bin/chromium';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether root may mount a tmpfs here (output-faults fills and remounts one). */
async function mountGap(): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): ${String((error as { stderr?: Buffer }).stderr ?? reasonOf(error)).trim()}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const probes: Record<Need, () => Promise<string | null>> = {
  busybox: async () => (existsSync(BUSYBOX) ? null : `no ${BUSYBOX} (install busybox-static: scripts/setup-engines.sh docker)`),
  docker: () =>
    DockerEngine.connect().then(
      () => null,
      (error: unknown) => `no Docker engine: ${reasonOf(error)}`,
    ),
  qemu: () => findQemuEngine().then(() => null, reasonOf),
  chromium: async () => (existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (install it: scripts/setup-engines.sh chromium)`),
  mount: mountGap,
  'fork-app': async () => (existsSync(forkAppPath()) ? null : `${forkAppPath()} not built (scripts/setup-engines.sh fork-app)`),
  runsc: () => dockerRuntimeGap('runsc'),
  crun: () => dockerRuntimeGap('crun'),
  podman: async () => (existsSync('/usr/bin/podman') ? null : 'no /usr/bin/podman (install it: scripts/setup-engines.sh runtimes)'),
  // containerd, ctr and runc installed, and root (the backend starts its own containerd).
  containerd: () => containerdBackend.probe().then(() => null, reasonOf),
};

/** Why Docker cannot run containers on `runtime` here (no engine, or the runtime not registered), or null. */
async function dockerRuntimeGap(runtime: string): Promise<string | null> {
  try {
    const info = await (await DockerEngine.connect()).info();
    return info.runtimes.split(' ').includes(runtime) ? null : `Docker has no runtime ${runtime} (it has ${info.runtimes}): scripts/setup-engines.sh runtimes`;
  } catch (error) {
    return `no Docker engine: ${reasonOf(error)}`;
  }
}

const asked = new Map<Need, Promise<string | null>>();

/** Why `need` is not available here, or null when it is (asked once per test file). */
export function gapOf(need: Need): Promise<string | null> {
  let gap = asked.get(need);
  if (gap === undefined) {
    gap = probes[need]();
    asked.set(need, gap);
  }
  return gap;
}

/** The answer for one block: whether it runs, its title, and the check that fails it when required. */
export interface Gate {
  /** Why it cannot run here (every missing need, joined), or null. */
  gap: string | null;
  /** True with every need present, or under ISOBENCH_REQUIRE_ENGINES=1 (then `check` fails it). */
  run: boolean;
  /** `name`, plus " (SKIPPED: why)" when something is missing. */
  title(name: string): string;
  /** Call in beforeAll (or first in the test): throws when something is missing. */
  check(): void;
}

/** Asks for every need of a block of `file`; prints the skip reason once when something is missing. */
export async function needs(file: string, ...wanted: Need[]): Promise<Gate> {
  const gaps = (await Promise.all(wanted.map(async (need) => ({ need, gap: await gapOf(need) })))).filter((g) => g.gap !== null);
  const gap = gaps.length === 0 ? null : gaps.map((g) => `${g.need}: ${g.gap}`).join('; ');
  if (gap !== null && !required) console.warn(`[skip] ${file}: ${gap}`);
  return {
    gap,
    run: gap === null || required,
    title: (name) => (gap === null ? name : `${name} (SKIPPED: ${gap})`),
    check: () => {
      if (gap !== null) throw new Error(`ISOBENCH_REQUIRE_ENGINES=1 but ${gap}`);
    },
  };
}

/** The Docker engine for tests that call it directly; only call after a `needs(.., 'docker')` gate passed. */
export function dockerEngine(): Promise<DockerEngine> {
  return DockerEngine.connect();
}
