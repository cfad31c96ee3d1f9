// The guest's /init: a busybox shell script that plays the scenario's app and reports each step as a
// short marker line on the serial console (every character costs time, so markers are two bytes).

import path from 'node:path/posix';
import type { FileWrite } from '../../scenario/types.js';

/** What one guest does, in the order it does it. */
export interface GuestPlan {
  /** Kernel modules to load, by name, from /lib/modules/<name>.ko, in order. */
  modules: string[];
  /** Mount /dev/vda (ext4) at /mnt and do the file writes there. False for a probe guest. */
  disk: boolean;
  appMemoryBytes: number;
  appStartupMs: number;
  /** Writes done after ready, paths relative to the disk's root. */
  files: FileWrite[];
}

/** Marker codes the init prints, one per line: "@I" etc. */
export const MARKERS = {
  init: 'I', // /init started (kernel done)
  app: 'A', // environment up (proc, dev, modules, disk): the app starts
  ready: 'R', // app ready; followed by MemTotal and MemFree in KiB; waits for the host's answer
  written: 'W', // file writes done and synced
  error: 'E', // something failed; followed by what
} as const;

const MiB = 1024 * 1024;

/** The /init script for a plan. Pure: the same plan gives the same bytes (it is part of the cache key). */
export function initScript(plan: GuestPlan): string {
  const lines = [
    '#!/bin/busybox sh',
    '# isobench guest init: plays the app, then powers off.',
    'B=/bin/busybox',
    `$B echo @${MARKERS.init}`,
    `fail() { $B echo "@${MARKERS.error} $1"; $B poweroff -f; $B sleep 60; }`,
    // fill N: N zero bytes on stdout, in 1 MiB blocks then the rest.
    `fill() { q=$(($1/${MiB})); r=$(($1%${MiB})); if [ $q -gt 0 ]; then $B dd if=/dev/zero bs=${MiB} count=$q 2>/dev/null; fi; if [ $r -gt 0 ]; then $B head -c $r /dev/zero; fi; }`,
    '$B mount -t proc proc /proc || fail proc',
    '$B mount -t devtmpfs dev /dev || fail dev',
  ];
  if (plan.disk) {
    for (const name of plan.modules) lines.push(`$B insmod /lib/modules/${name}.ko || fail ${name}`);
    lines.push('$B mount -t ext4 -o noatime,noinit_itable /dev/vda /mnt || fail mount');
  }
  lines.push(`$B echo @${MARKERS.app}`);
  if (plan.appMemoryBytes > 0) {
    lines.push('$B mount -t tmpfs -o size=100% app /app || fail tmpfs');
    lines.push(`fill ${plan.appMemoryBytes} >/app/memory || fail memory`);
  }
  if (plan.appStartupMs > 0) lines.push(`$B sleep ${(plan.appStartupMs / 1000).toFixed(3)}`);
  lines.push(
    "set -- $($B awk '/^MemTotal:/{t=$2} /^MemFree:/{f=$2} END{print t, f}' /proc/meminfo)",
    `$B echo "@${MARKERS.ready} $1 $2"`,
    '# The host measures this guest, then answers one line.',
    'read -r answer',
  );
  if (plan.disk) {
    for (const file of plan.files) lines.push(...writeLines(file));
    lines.push('$B sync', '$B umount /mnt || fail umount');
  }
  lines.push(`$B echo @${MARKERS.written}`, '$B poweroff -f', '$B sleep 60', '');
  return lines.join('\n');
}

/** The disk path of a scenario file inside the guest, or an error when it would leave the disk. */
export function guestPath(file: string): string {
  const normal = path.normalize(`/${file}`);
  if (normal === '/' || normal.split('/').includes('..')) throw new RangeError(`file path ${JSON.stringify(file)} does not name a file on the guest disk`);
  return `/mnt${normal}`;
}

function writeLines(file: FileWrite): string[] {
  const target = quote(guestPath(file.path));
  const dir = quote(path.dirname(guestPath(file.path)));
  const n = file.writeBytes;
  switch (file.mode) {
    case 'create':
      return [`$B mkdir -p ${dir}`, `fill ${n} >${target} || fail write`];
    case 'overwrite':
      return [`fill ${n} >${target} || fail write`];
    case 'append':
      return [`fill ${n} >>${target} || fail write`];
    case 'modify':
      return [`fill ${n} | $B dd of=${target} conv=notrunc 2>/dev/null || fail write`];
  }
}

/** Single-quotes a word for sh. */
export function quote(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}
