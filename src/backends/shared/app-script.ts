// The simulated app, as a busybox sh script: the same script runs as a host process and as a
// container's command, so both measure the same work.

import type { AppSpec, FileWrite } from '../../scenario/types.js';
import { forkAppArgs } from './fork-app.js';

/** Printed once the app holds its memory and has waited its startup time. */
export const READY_MARKER = 'ISOBENCH_READY';
/** Printed once every file write is done. */
export const DONE_MARKER = 'ISOBENCH_DONE';
/** Printed (with a reason) when the app cannot do its work; the script then exits 1. */
export const FAILED_MARKER = 'ISOBENCH_FAILED';

export interface AppScriptOptions {
  /** Path of the busybox binary where the script runs ("/bin/busybox" in a container). */
  busybox: string;
  /** A writable directory for the script's own fifo ("/dev/shm" in a container: a tmpfs, not the image). */
  scratchDir: string;
  /** Prefix of every file path ("" in a container, the instance's root directory on the host). */
  rootDir: string;
  /** Path of fork-app where the script runs, for apps that fork workers (see fork-app.ts). */
  forkApp?: string;
}

/** Single-quotes a string for sh. */
export function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The app's script: hold `memoryBytes` resident (a busybox dd buffer read from /dev/zero, kept alive
 * by blocking on a pipe nobody reads: anonymous memory, charged to the process and its cgroup), sleep
 * what is left of `startupMs` (clock: /proc/uptime, 10 ms steps; leading zeros dropped, as gVisor's
 * uptime starts at 0 per sandbox and "08" is not a number to sh), print READY, write the files with
 * their real modes, print DONE, then sleep until killed.
 */
export function appScript(app: AppSpec, options: AppScriptOptions): string {
  const b = shQuote(options.busybox);
  const fifo = shQuote(`${options.scratchDir}/isobench-alloc`);
  const lines = [
    `B=${b}`,
    `fail() { echo "${FAILED_MARKER} $*"; exit 1; }`,
    `cs() { t=$($B cut -d' ' -f1 /proc/uptime); t="\${t%.*}\${t#*.}"; while [ "\${#t}" -gt 1 ] && [ "\${t#0}" != "$t" ]; do t=\${t#0}; done; echo "$t"; }`,
    't0=$(cs)',
  ];
  if (app.fork !== undefined) {
    // A pre-forked app: fork-app loads the parent's memory, forks the workers, has each write its
    // share, prints "ok" and holds it all until killed (its workers die with it).
    if (options.forkApp === undefined) throw new Error('appScript: an app with fork needs options.forkApp');
    lines.push(
      `$B rm -f ${fifo}; $B mkfifo ${fifo} || fail mkfifo`,
      `${shQuote(options.forkApp)} ${forkAppArgs(app).join(' ')} >${fifo} &`,
      `read held <${fifo}; $B rm -f ${fifo}`,
      `[ "$held" = ok ] || fail "fork-app: $held"`,
    );
  } else if (app.memoryBytes > 0) {
    lines.push(
      `$B rm -f ${fifo}; $B mkfifo ${fifo} || fail mkfifo`,
      `( $B dd if=/dev/zero bs=${app.memoryBytes} count=1 2>/dev/null | { if [ "$($B head -c 1 | $B wc -c)" -eq 1 ]; then echo ok; else echo no; fi >${fifo}; exec $B sleep 2147483647; } ) &`,
      `read held <${fifo}; $B rm -f ${fifo}`,
      `[ "$held" = ok ] || fail "could not hold ${app.memoryBytes} bytes of memory"`,
    );
  }
  lines.push(`rest=$(( ${Math.round(app.startupMs)} - ($(cs) - t0) * 10 ))`, `[ $rest -le 0 ] || $B sleep $(( rest / 1000 )).$($B printf %03d $(( rest % 1000 )))`, `echo ${READY_MARKER}`);
  // The path comes from the scenario: single-quoted here too, never inside double quotes, where sh
  // would expand $(...) and backticks when the write fails.
  app.files.forEach((file, index) => lines.push(`${writeCommand(file, options.rootDir)} || fail ${shQuote(`write ${index} ${file.mode} ${file.path}`)}`));
  lines.push(`echo ${DONE_MARKER}`, 'exec $B sleep 2147483647');
  return lines.join('\n');
}

/** One file write with its real open mode: `>` create, `>>` append, in-place dd for modify, `>` (O_TRUNC) overwrite. */
export function writeCommand(file: FileWrite, rootDir: string): string {
  const path = shQuote(`${rootDir}${file.path}`);
  const data = `$B head -c ${file.writeBytes} /dev/zero`;
  switch (file.mode) {
    case 'create':
    case 'overwrite':
      return `${data} >${path}`;
    case 'append':
      return `${data} >>${path}`;
    case 'modify':
      return `${data} | $B dd of=${path} bs=65536 conv=notrunc 2>/dev/null`;
  }
}
