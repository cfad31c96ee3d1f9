// fork() copy-on-write inside one instance: a pre-forked app (gunicorn, PHP-FPM, Apache prefork)
// loads once, forks its workers, and each worker pays only the pages it writes and its own page
// tables; the parent's pages are paid once. The same sharing happens wherever the app runs (a
// process tree on the host, inside one container, inside one guest); separate instances share
// none of it. Pure. See mechanics.md ("Process fork()").

import type { ProfileCatalog } from '../profiles/types.js';
import type { AppSpec } from '../scenario/types.js';
import { formatBytes } from '../units/format.js';
import { roundUp } from './cow.js';
import type { Part } from './plan.js';
import type { Phase } from './phases.js';

/** The parameters fork sharing depends on, each a plain number (the callers carry the sources). */
export interface ForkParams {
  /** Copy-on-write granularity: a worker's first write to a page copies that page (4 KiB). */
  pageBytes: number;
  /** Page tables per GiB of mapped private memory: fork() copies them for every worker. */
  pageTableBytesPerGiB: number;
  /** Kernel memory per process: task, kernel stack, mm. */
  perProcessKernelBytes: number;
  /** CPU time fork() spends per GiB mapped (copying page tables), and per call. */
  forkMsPerGiB: number;
  forkMs: number;
  /** Rate at which a worker copies the pages it writes (fault, copy 4 KiB, map). */
  copyBytesPerSec: number;
}

/** The fork parameters of a profile catalog. */
export function forkParams(catalog: ProfileCatalog): ForkParams {
  const { common, process } = catalog;
  return {
    pageBytes: common.pageBytes.value,
    pageTableBytesPerGiB: process.pageTableBytesPerGiB.value,
    perProcessKernelBytes: process.perProcessKernelBytes.value,
    forkMsPerGiB: process.forkMsPerGiB.value,
    forkMs: process.forkExecMs.value,
    copyBytesPerSec: common.memoryFillBytesPerSec.value,
  };
}

/** What the app costs in memory on the kernel that runs it, split into parts, and its unique set. */
export interface AppMemory {
  parts: Part[];
  /** Bytes no other process maps (USS summed over the app's processes): the pages written. */
  uniqueBytes: number;
}

const GiB = 1024 ** 3;

/** Page-table bytes for `mapped` bytes of private memory. */
export function pageTables(mapped: number, bytesPerGiB: number): number {
  return Math.round((mapped / GiB) * bytesPerGiB);
}

/**
 * The app's memory: a single process pays its pages and page tables; a forking app pays the
 * parent's pages once, and per worker the pages it writes (whole pages: every worker writes the
 * same `writes` share, so each holds its own copy), a copy of the parent's page tables and its
 * kernel objects. Kernel objects of the parent are the caller's (it counts one per process).
 */
export function appMemory(app: Pick<AppSpec, 'memoryBytes' | 'fork'>, params: ForkParams): AppMemory {
  const parent = roundUp(app.memoryBytes, params.pageBytes);
  const tables = pageTables(parent, params.pageTableBytesPerGiB);
  const page = formatBytes(params.pageBytes);
  const parentParts: Part[] = [
    { label: 'app', bytes: parent, note: `scenario app.memory in ${page} pages` },
    { label: 'page tables', bytes: tables, note: `${formatBytes(params.pageTableBytesPerGiB)} per GiB resident` },
  ];
  if (app.fork === undefined) return { parts: parentParts, uniqueBytes: parent };
  const { workers, writesRatio } = app.fork;
  const written = roundUp(parent * writesRatio, params.pageBytes);
  const perWorker = written + tables + params.perProcessKernelBytes;
  return {
    parts: [
      { ...parentParts[0]!, label: 'app (parent; shared with workers until written)' },
      parentParts[1]!,
      {
        label: `workers (${workers}, forked)`,
        bytes: workers * perWorker,
        note: `${workers} x ${formatBytes(perWorker)}: each pays what it writes, not the parent's ${formatBytes(parent)}`,
        children: [
          {
            label: 'pages written (copied on write)',
            bytes: workers * written,
            note: `${+(writesRatio * 100).toFixed(2)}% of ${formatBytes(parent)} in whole ${page} pages, per worker`,
          },
          { label: 'page tables (copied by fork)', bytes: workers * tables, note: 'fork() copies the parent page tables of private memory' },
          { label: 'kernel (task, stack, mm)', bytes: workers * params.perProcessKernelBytes, note: 'per worker process' },
        ],
      },
    ],
    // The parent's original of each written page is mapped by the parent alone once every worker
    // has its own copy; unwritten pages stay shared by all, so they are in nobody's unique set.
    uniqueBytes: (workers + 1) * written,
  };
}

/** Startup phases of forking: fork() per worker (page tables copied), then the workers' writes. */
export function forkPhases(app: Pick<AppSpec, 'memoryBytes' | 'fork'>, params: ForkParams, slowdown = 1): Phase[] {
  if (app.fork === undefined) return [];
  const { workers, writesRatio } = app.fork;
  const parent = roundUp(app.memoryBytes, params.pageBytes);
  const forkEach = params.forkMs + (parent / GiB) * params.forkMsPerGiB;
  const written = roundUp(parent * writesRatio, params.pageBytes);
  return [
    {
      label: `fork ${workers} worker(s)`,
      ms: workers * forkEach * slowdown,
      resource: 'cpu',
      note: `${workers} x (${params.forkMs} ms + ${params.forkMsPerGiB} ms/GiB x ${formatBytes(parent)} mapped)`,
    },
    {
      label: 'workers write their share',
      ms: ((workers * written) / params.copyBytesPerSec) * 1000 * slowdown,
      resource: 'cpu',
      note: `${workers} x ${formatBytes(written)} copied on write at ${formatBytes(params.copyBytesPerSec)}/s, on one CPU at a time (conservative)`,
    },
  ];
}

/** How huge pages change the figures, for the breakdown: said once, not modeled. */
export const HUGE_PAGE_NOTE =
  'with 2 MiB pages (hugetlbfs, MAP_PRIVATE) a write copies 2 MiB instead of 4 KiB; transparent huge pages of anonymous memory are split on a copy-on-write fault since Linux 5.8, so only the 4 KiB page is copied';
