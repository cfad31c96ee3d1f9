// The guest userland: busybox, the virtio modules and a generated /init in one uncompressed cpio
// (the kernel unpacks it faster than a gzip one), cached under .cache/qemu/initramfs by content hash.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cpioNewc, type CpioEntry } from './cpio.js';
import type { QemuEngine } from './engine.js';
import { initScript, type GuestPlan } from './init-script.js';

/** An initramfs file ready for `-initrd`. */
export interface Initramfs {
  path: string;
  sizeBytes: number;
  /** sha256 of the archive, first 16 hex digits. */
  hash: string;
}

/** The archive members for a plan: pure given the busybox and module bytes. */
export function initramfsEntries(plan: GuestPlan, busybox: Uint8Array, modules: { name: string; data: Uint8Array }[]): CpioEntry[] {
  return [
    ...['bin', 'dev', 'proc', 'mnt', 'app', 'lib', 'lib/modules'].map((dir): CpioEntry => ({ kind: 'dir', path: dir })),
    { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    ...modules.map((module): CpioEntry => ({ kind: 'file', path: `lib/modules/${module.name}.ko`, data: module.data })),
    { kind: 'file', path: 'init', data: Buffer.from(initScript(plan), 'utf8'), mode: 0o755 },
  ];
}

/** Builds (or finds in the cache) the initramfs for a plan. */
export async function buildInitramfs(engine: QemuEngine, plan: GuestPlan): Promise<Initramfs> {
  const busybox = await readFile(engine.busybox);
  const modules = await Promise.all(engine.modules.map(async (file) => ({ name: path.basename(file, '.ko'), data: await readFile(file) })));
  const archive = cpioNewc(initramfsEntries(plan, busybox, modules));
  const hash = createHash('sha256').update(archive).digest('hex').slice(0, 16);
  const dir = path.join(engine.cacheDir, 'initramfs');
  const file = path.join(dir, `${hash}.cpio`);
  const existing = await stat(file).catch(() => null);
  if (existing?.size !== archive.length) {
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, archive);
    await rename(partial, file);
  }
  return { path: file, sizeBytes: archive.length, hash };
}
