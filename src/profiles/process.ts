// The plain-process baseline and the costs every platform shares.

import { param } from './param.js';
import { SRC, assumption } from './sources.js';
import type { CommonProfile, ProcessProfile } from './types.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const MB = 1000 ** 2;

export const COMMON: CommonProfile = {
  imageReadRatio: param(0.1, 'ratio', assumption('an app reads a tenth of its image (libraries, code) while starting')),
  hostReservedBytes: param(1 * GiB, 'bytes', assumption('host OS, agents and headroom kept free')),
  pageBytes: param(4 * KiB, 'bytes', `${SRC.mechanics}: fork copies 4 KiB pages`),
  fsBlockBytes: param(4 * KiB, 'bytes', `${SRC.mechanics}: ext4/xfs 4 KiB blocks`),
  compressionRatio: param(29.8 / 78, 'ratio', SRC.repoInfo),
  extractBytesPerSec: param(100 * MB, 'bytes/s', assumption('single-threaded gzip decompression and write')),
  ksmScanBytesPerSec: param((100 * 4 * KiB) / 0.02, 'bytes/s', `${SRC.ksmDefaults}: 100 x 4 KiB every 20 ms = 19.5 MiB/s`),
  memoryFillBytesPerSec: param(1250 * MB, 'bytes/s', "measured on this project's machine kind: busybox dd of 256 MiB from /dev/zero into its buffer, ~215 ms (3 runs, 2026-11)"),
  appScriptHoldMs: param(
    2.7,
    'ms',
    "measured on this project's machine kind 2026-12-02: spawn -> ready of the app script holding 1 MiB, 7.5 ms, less the same with no memory, 4.0 ms, less the 1 MiB fill (0.8 ms); medians of 14 (a subshell, busybox dd, head and wc: model as run only)",
  ),
  appScriptHoldCpuMs: param(
    3.8,
    'ms',
    "appScriptHoldMs x1.4: `isobench calibrate` on this project's machine kind 2026-12-02 measured 5.07 ms of CPU (all the script's processes, from the root cpuacct cgroup) for 3.6 ms alone; means of 10 starts",
  ),
};

export const PROCESS: ProcessProfile = {
  forkExecMs: param(1, 'ms', `${SRC.lightvm}: process fork/exec ~1 ms`),
  spawnSerialMs: param(1, 'ms', assumption("all of fork/exec is served by the launching parent, one child at a time (`isobench calibrate` measures the parent's CPU per spawn)")),
  childStartCpuMs: param(0, 'ms', assumption("the child has no part of fork/exec of its own (all of it is the parent's spawn); `isobench calibrate` measures it")),
  perProcessKernelBytes: param(256 * KiB, 'bytes', assumption('task struct, 16 KiB kernel stack, mm, file table')),
  forkMsPerGiB: param(15, 'ms/GiB', `${SRC.mechanics}: fork() copies page tables of populated private memory, published costs about 10-20 ms per GiB (midpoint)`),
  pageTableBytesPerGiB: param(2 * MiB, 'bytes', `${SRC.mechanics}: ~2 MiB of page tables per GiB mapped`),
};
