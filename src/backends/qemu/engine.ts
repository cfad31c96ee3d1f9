// Where QEMU, qemu-img, the guest kernel, its virtio modules and busybox are on this host.

import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../../errors.js';
import { cacheRoot } from '../shared/cache.js';

const run = promisify(execFile);

/** Every file and tool a QEMU run needs, found and checked. */
export interface QemuEngine {
  qemu: string;
  qemuImg: string;
  /** "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" */
  version: string;
  kernel: string;
  kernelVersion: string;
  /** Guest modules (.ko paths) in load order: virtio_ring ... virtio_blk. */
  modules: string[];
  busybox: string;
  mkfs: string;
  /** Folder for cached initramfs images and the accelerator probe result. */
  cacheDir: string;
}

const FIX = 'run `sudo scripts/setup-engines.sh qemu`';

/** Finds the QEMU toolchain and guest kernel; throws EngineError saying how to install what is missing. */
export async function findQemuEngine(): Promise<QemuEngine> {
  const cache = cacheRoot();
  const kernelDir = process.env.ISOBENCH_QEMU_KERNEL_DIR ?? path.join(cache, 'kernel');
  const qemu = await which('qemu-system-x86_64', 'QEMU (qemu-system-x86_64) is not installed');
  const qemuImg = await which('qemu-img', 'qemu-img is not installed');
  const busybox = await firstExisting(['/bin/busybox', '/usr/bin/busybox'], 'busybox (busybox-static) is not installed');
  const mkfs = await firstExisting(['/sbin/mkfs.ext4', '/usr/sbin/mkfs.ext4'], 'mkfs.ext4 (e2fsprogs) is not installed');
  const kernel = path.join(kernelDir, 'vmlinuz');
  if (!(await readable(kernel))) throw new EngineError(`no guest kernel at ${kernel}; ${FIX}`);
  const order = await readFile(path.join(kernelDir, 'modules', 'order'), 'utf8').catch(() => null);
  if (order === null) throw new EngineError(`no guest virtio modules in ${kernelDir}/modules; ${FIX}`);
  const modules = order
    .split('\n')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => path.join(kernelDir, 'modules', `${name}.ko`));
  for (const module of modules) if (!(await readable(module))) throw new EngineError(`guest module ${module} is missing; ${FIX}`);
  const kernelVersion = ((await readFile(path.join(kernelDir, 'version'), 'utf8').catch(() => 'unknown')) || 'unknown').trim();
  const { stdout } = await run(qemu, ['--version']).catch((error: unknown) => {
    throw new EngineError(`${qemu} --version failed; ${FIX}`, { cause: error });
  });
  const version = /version\s+(.+)/.exec(stdout.split('\n')[0] ?? '')?.[1]?.trim() ?? 'unknown';
  return { qemu, qemuImg, version, kernel, kernelVersion, modules, busybox, mkfs, cacheDir: path.join(cache, 'qemu') };
}

async function which(binary: string, missing: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir, binary);
    if (await executable(candidate)) return candidate;
  }
  throw new EngineError(`${missing}; ${FIX}`);
}

async function firstExisting(candidates: string[], missing: string): Promise<string> {
  for (const candidate of candidates) if (await executable(candidate)) return candidate;
  throw new EngineError(`${missing}; ${FIX}`);
}

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function readable(file: string): Promise<boolean> {
  return access(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}
