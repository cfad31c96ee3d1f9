// KVM or TCG: /dev/kvm existing is not enough (a nested or paravirtual KVM may accept QEMU and
// still never run the guest kernel), so a probe guest must reach its init under KVM. The verdict
// is cached per QEMU, guest kernel and host kernel; ISOBENCH_QEMU_ACCEL=kvm|tcg overrides it.

import { constants, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineError, InterruptedError } from '../../errors.js';
import type { Accelerator } from '../../report/types.js';
import { CleanupStack } from '../shared/cleanup.js';
import type { QemuEngine } from './engine.js';
import { runGuest } from './guest.js';
import { buildInitramfs } from './initramfs.js';

/** The accelerator a run uses, and why (goes into the report's notes). */
export interface AcceleratorChoice {
  accelerator: Accelerator;
  reason: string;
  /** 'env' (ISOBENCH_QEMU_ACCEL), 'host' (no usable /dev/kvm), 'probe' (a boot just now), 'cache'. */
  decidedBy: 'env' | 'host' | 'probe' | 'cache';
}

/** A guest under working KVM reaches init in well under a second; TCG needs ~5 s on this machine kind. */
export const KVM_PROBE_TIMEOUT_MS = 10_000;

/** Reads ISOBENCH_QEMU_ACCEL: 'kvm', 'tcg', or undefined when unset; EngineError for anything else. */
export function acceleratorOverride(value: string | undefined): Accelerator | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'kvm' || value === 'tcg') return value;
  throw new EngineError(`ISOBENCH_QEMU_ACCEL is "${value}"; set it to kvm or tcg, or unset it to detect`);
}

/** Decides the accelerator; may boot one probe guest (at most KVM_PROBE_TIMEOUT_MS) when nothing is cached. */
export async function chooseAccelerator(engine: QemuEngine, signal: AbortSignal): Promise<AcceleratorChoice> {
  const forced = acceleratorOverride(process.env.ISOBENCH_QEMU_ACCEL);
  if (forced) return { accelerator: forced, reason: `forced by ISOBENCH_QEMU_ACCEL=${forced}`, decidedBy: 'env' };
  const unusable = await kvmUnusable();
  if (unusable) return { accelerator: 'tcg', reason: unusable, decidedBy: 'host' };
  const key = await cacheKey(engine);
  const file = path.join(engine.cacheDir, 'accelerator.json');
  const cached = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { key: string; choice: AcceleratorChoice })
    .catch(() => null);
  if (cached?.key === key) return { ...cached.choice, decidedBy: 'cache' };
  const choice = await probeKvm(engine, signal);
  await mkdir(engine.cacheDir, { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify({ key, choice }, null, 2));
  await rename(`${file}.tmp`, file);
  return choice;
}

/** Why /dev/kvm cannot be used, or null when it opens read-write. */
async function kvmUnusable(): Promise<string | null> {
  if (!existsSync('/dev/kvm')) return 'no /dev/kvm on this host (no hardware virtualisation exposed)';
  try {
    const handle = await open('/dev/kvm', constants.O_RDWR);
    await handle.close();
    return null;
  } catch (error) {
    return `/dev/kvm does not open read-write (${(error as NodeJS.ErrnoException).code ?? 'error'}; add the user to the kvm group)`;
  }
}

/** Boots a probe guest (no disk, no app) under KVM; KVM if it reaches ready in time. */
async function probeKvm(engine: QemuEngine, signal: AbortSignal): Promise<AcceleratorChoice> {
  const cleanup = new CleanupStack();
  try {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'isobench-qemu-probe-'));
    cleanup.defer(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
    const initramfs = await buildInitramfs(engine, { modules: [], disk: false, appMemoryBytes: 0, appStartupMs: 0, files: [] });
    const outcome = await runGuest({
      engine,
      accelerator: 'kvm',
      label: 'kvm-probe',
      memoryBytes: 128 * 1024 ** 2,
      vcpus: 1,
      initramfs: initramfs.path,
      workDir,
      readyTimeoutMs: KVM_PROBE_TIMEOUT_MS,
      finishTimeoutMs: 5_000,
      signal,
      cleanup,
    });
    if (outcome.state === 'aborted') throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT');
    if (outcome.state === 'completed') {
      return { accelerator: 'kvm', reason: `a probe guest reached init in ${Math.round(outcome.timeline.initMs ?? 0)} ms`, decidedBy: 'probe' };
    }
    const pvm = existsSync('/sys/module/kvm_pvm') ? '; the host KVM is kvm_pvm (PVM), which runs only PVM-enabled guest kernels' : '';
    const seen = outcome.timeline.firmwareStartMs === null ? 'nothing ran' : 'the firmware ran but the kernel never reached init';
    const why = outcome.state === 'timeout' ? `${seen} within ${outcome.afterMs} ms` : outcome.reason;
    return {
      accelerator: 'tcg',
      reason: `/dev/kvm opens, but a probe guest under -accel kvm failed (${why}${pvm}); set ISOBENCH_QEMU_ACCEL=kvm to force it`,
      decidedBy: 'probe',
    };
  } finally {
    await cleanup.run();
  }
}

/** What the verdict depends on: QEMU, the guest kernel file, the host kernel and its KVM modules. */
async function cacheKey(engine: QemuEngine): Promise<string> {
  const kernel = await stat(engine.kernel);
  const modules = existsSync('/sys/module/kvm_pvm') ? 'kvm_pvm' : existsSync('/sys/module/kvm_intel') ? 'kvm_intel' : existsSync('/sys/module/kvm_amd') ? 'kvm_amd' : 'kvm';
  return [engine.version, engine.kernelVersion, kernel.size, kernel.mtimeMs, os.release(), modules].join('|');
}
