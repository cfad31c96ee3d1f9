// A containerd of isobench's own: root, state, config and socket in one temp folder, started for a
// run and stopped at its cleanup, so `--real containerd` needs no dockerd (only Debian's containerd
// package). A folder whose owner died is found by its name and torn down by the next run or clean.

import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../../errors.js';
import { listProcesses } from '../shared/proc.js';
import { pidAlive, tempPrefix } from '../shared/temp.js';
import { Ctr, NAMESPACE } from './ctr.js';
import { parseServerVersion } from './parse.js';

const run = promisify(execFile);

/** The containerd binary (Debian's containerd package). */
export const CONTAINERD = 'containerd';
/** The temp-folder prefix: isobench-containerd-<pid>-XXXXXX (no run id: the socket path must stay short). */
export const DAEMON_PREFIX = tempPrefix('containerd');
/** A unix socket path longer than this does not fit sockaddr_un (108 bytes, with ".ttrpc" added). */
const MAX_SOCKET_PATH = 100;

/** The files of one own containerd, by its folder. */
export function daemonPaths(dir: string) {
  return { config: join(dir, 'config.toml'), socket: join(dir, 'c.sock'), log: join(dir, 'containerd.log'), root: join(dir, 'root'), state: join(dir, 'state') };
}

/** The config of an own containerd: everything under `dir`, the CRI plugin off (no Kubernetes here). Pure. */
export function daemonConfig(dir: string): string {
  const paths = daemonPaths(dir);
  return [
    'version = 2',
    `root = ${JSON.stringify(paths.root)}`,
    `state = ${JSON.stringify(paths.state)}`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = ${JSON.stringify(paths.socket)}`,
    '[ttrpc]',
    `  address = ${JSON.stringify(`${paths.socket}.ttrpc`)}`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${JSON.stringify(join(dir, 'opt'))}`,
    '',
  ].join('\n');
}

/** An own containerd while it runs. */
export interface OwnDaemon {
  dir: string;
  pid: number;
  ctr: Ctr;
  version: string;
  /** Why it is gone (it exited), or null while it runs. */
  gone(): string | null;
  /** SIGTERM, then SIGKILL after 5 s; its shims keep running, so delete the tasks first. */
  stop(): Promise<void>;
}

/** Makes the folder and starts containerd in it; `onFolder` is called as soon as the folder exists (register its removal there). */
export async function startOwnDaemon(onFolder: (dir: string) => void): Promise<OwnDaemon> {
  const dir = await mkdtemp(join(tmpdir(), `${DAEMON_PREFIX}${process.pid}-`));
  onFolder(dir);
  const paths = daemonPaths(dir);
  if (`${paths.socket}.ttrpc`.length > MAX_SOCKET_PATH) {
    throw new EngineError(`the temp dir ${tmpdir()} is too deep for containerd's socket (${paths.socket}.ttrpc is over ${MAX_SOCKET_PATH} bytes); set TMPDIR to a shorter path`);
  }
  await writeFile(paths.config, daemonConfig(dir));
  return launch(dir);
}

/** Starts containerd on an existing folder's config (a new run, or a leftover being torn down). */
export async function launch(dir: string): Promise<OwnDaemon> {
  const paths = daemonPaths(dir);
  const log = openSync(paths.log, 'a');
  let exited: string | null = null;
  // Its own process group: a Ctrl-C at the terminal reaches isobench, which deletes the tasks
  // through this daemon before stopping it; the daemon must not stop first.
  const child = spawn(CONTAINERD, ['--config', paths.config], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const ended = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `containerd ${child.pid ?? ''} exited (${signal ?? `code ${code}`})`;
      resolve();
    });
    child.once('error', (error) => {
      exited = `containerd could not start: ${error.message}`;
      resolve();
    });
  });
  const ctr = new Ctr(paths.socket, () => exited);
  const version = await waitUntilAnswering(ctr, () => exited, paths.log);
  return {
    dir,
    pid: child.pid!,
    ctr,
    version,
    gone: () => exited,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await ended;
      clearTimeout(timer);
    },
  };
}

/** Polls `ctr version` until the daemon answers (15 s at most); returns its version. */
async function waitUntilAnswering(ctr: Ctr, exited: () => string | null, logPath: string): Promise<string> {
  const until = performance.now() + 15_000;
  for (;;) {
    const gone = exited();
    if (gone !== null) throw new EngineError(`${gone}: ${await logTail(logPath)} (is Debian's containerd installed? \`sudo scripts/setup-engines.sh containerd\`; it needs root)`);
    try {
      const version = parseServerVersion(await ctr.run('version', ['version'], { timeoutMs: 5_000 }));
      if (version !== null) return version;
    } catch {
      // Not up yet.
    }
    if (performance.now() > until) throw new EngineError(`containerd did not answer at ${ctr.address} within 15 s: ${await logTail(logPath)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function logTail(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => /level=(error|fatal)/.test(line) || !line.includes('level='));
  return lines.slice(-3).join(' | ').slice(0, 400) || 'no log';
}

/** A containerd already running on `dir`'s config (found in /proc), or null. */
export async function runningDaemonPid(dir: string): Promise<number | null> {
  const config = daemonPaths(dir).config;
  for (const cmd of await commandLines()) if (cmd.comm === 'containerd' && cmd.args.includes(config)) return cmd.pid;
  return null;
}

/** Kills what outlived a torn-down daemon: shims serving its socket and their containers' processes (SIGKILL). */
export async function killStrayShims(dir: string): Promise<number> {
  const socket = daemonPaths(dir).socket;
  const lines = await commandLines();
  const shims = lines.filter((p) => p.comm.startsWith('containerd-shim') && p.args.includes(socket));
  for (const shim of shims) {
    for (const child of lines.filter((p) => p.ppid === shim.pid)) tryKill(child.pid);
    tryKill(shim.pid);
  }
  return shims.length;
}

/** Unmounts whatever is still mounted under `dir` (a container rootfs whose task was never deleted). */
export async function unmountUnder(dir: string): Promise<void> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point?.startsWith(`${dir}/`) === true)
    .sort((a, b) => b.length - a.length);
  for (const point of points) await run('umount', ['-l', point]).catch(() => undefined);
}

/** Removes the folder (after unmounting anything left under it). */
export async function removeFolder(dir: string): Promise<void> {
  await unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
}

/** The owner pid in a folder name isobench-containerd-<pid>-XXXXXX, and whether it still runs. */
export function folderOwnerAlive(name: string): boolean {
  const match = new RegExp(`^${DAEMON_PREFIX}(\\d+)-`).exec(name);
  return match !== null && pidAlive(Number(match[1]));
}

interface CommandLine {
  pid: number;
  ppid: number;
  comm: string;
  args: string[];
}

async function commandLines(): Promise<CommandLine[]> {
  const processes = await listProcesses();
  const found: CommandLine[] = [];
  for (const p of processes) {
    if (p.comm !== 'containerd' && !p.comm.startsWith('containerd-shim') && !processes.some((q) => q.pid === p.ppid && q.comm.startsWith('containerd-shim'))) continue;
    const args = (await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    found.push({ pid: p.pid, ppid: p.ppid, comm: p.comm, args });
  }
  return found;
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Removes the namespace's parent cgroups (/sys/fs/cgroup/<controller>/isobench, or /sys/fs/cgroup/isobench
 * on v2) that runc leaves once their containers are gone; one still in use (another run) refuses, and stays.
 */
export async function removeNamespaceCgroups(root = '/sys/fs/cgroup'): Promise<void> {
  const controllers = await readdir(root).catch(() => [] as string[]);
  const candidates = [join(root, NAMESPACE), ...controllers.map((controller) => join(root, controller, NAMESPACE))];
  await Promise.all(candidates.map((dir) => rmdir(dir).catch(() => undefined)));
}
