// Podman's Docker-compatible API service (`podman system service`): the one already answering
// (ISOBENCH_PODMAN_SOCKET, else the system socket), or one isobench starts on a temp socket and
// stops again. Podman itself has no daemon; this process exists only to serve the API.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { EngineError } from '../../errors.js';
import { runtimeVersion } from '../shared/oci-runtime.js';
import { makeRunTempDir, ownerPid, pidAlive, tempPrefix } from '../shared/temp.js';

/** Where a system-wide service listens (podman.socket under systemd). */
export const SYSTEM_SOCKET = '/run/podman/podman.sock';
/** Longest unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;
/** How long a starting service may take to answer (it answered in ~0.1 s here). */
const START_TIMEOUT_MS = 20_000;
/** How long a stopping service may take before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** The one sentence a user needs when Podman is not installed. */
export const NOT_INSTALLED = 'Podman is not installed (no `podman` on PATH): install it with `sudo scripts/setup-engines.sh runtimes`';

/** The socket of a running service to use, and where its path came from. Pure. */
export function serviceSocket(env: NodeJS.ProcessEnv): { socketPath: string; from: string } {
  const fromEnv = env['ISOBENCH_PODMAN_SOCKET']?.trim().replace(/^unix:\/\//, '');
  return fromEnv ? { socketPath: fromEnv, from: 'ISOBENCH_PODMAN_SOCKET' } : { socketPath: SYSTEM_SOCKET, from: 'system socket' };
}

/** `podman --version` ("podman version 4.3.1"), or null when podman is not installed. */
export function podmanVersion(): Promise<string | null> {
  return runtimeVersion('podman');
}

/** Whether something answers the API's ping on `socketPath` within `timeoutMs`. */
export function pingSocket(socketPath: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** A Podman API service: found running (not ours to stop) or started by this process. */
export class PodmanService {
  readonly socketPath: string;
  /** "system socket", "ISOBENCH_PODMAN_SOCKET", or "started by isobench". */
  readonly from: string;
  readonly #dir: string | null;
  #child: ChildProcess | null = null;
  #exited = true;
  /** Resolves when the current service process has exited. */
  #exit: Promise<void> = Promise.resolve();

  private constructor(socketPath: string, from: string, dir: string | null) {
    this.socketPath = socketPath;
    this.from = from;
    this.#dir = dir;
  }

  /** True when this process started the service (and so stops it, and may start it again). */
  get ours(): boolean {
    return this.#dir !== null;
  }

  /** The service's pid when this process started it and it runs. */
  get pid(): number | null {
    return this.#child !== null && !this.#exited ? (this.#child.pid ?? null) : null;
  }

  /** A service already answering at ISOBENCH_PODMAN_SOCKET or the system socket, else null. */
  static async find(env: NodeJS.ProcessEnv): Promise<PodmanService | null> {
    const { socketPath, from } = serviceSocket(env);
    if (!existsSync(socketPath) || !(await pingSocket(socketPath))) return null;
    return new PodmanService(socketPath, from, null);
  }

  /**
   * Starts `podman system service --time=0` on a socket in a temp folder named for this process
   * (isobench-podman-PID-LABEL-*, so `isobench clean` finds what a killed run left). The service
   * gets its own process group (a Ctrl-C at the terminal reaches isobench, which removes its
   * containers through the service before stopping it) and, through setpriv, SIGTERM when isobench
   * dies without cleaning up.
   */
  static async start(label: string): Promise<PodmanService> {
    const dir = await makeRunTempDir('podman', label.slice(0, 12));
    const socketPath = join(dir, 's');
    if (socketPath.length > MAX_SOCKET_PATH) {
      await rm(dir, { recursive: true, force: true });
      throw new EngineError(`the temp folder ${dir} is too deep for a unix socket (${socketPath.length} > ${MAX_SOCKET_PATH} characters): set TMPDIR to a shorter path`);
    }
    const service = new PodmanService(socketPath, 'started by isobench', dir);
    try {
      await service.#spawn();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  /** Whether the service answers now. */
  answers(): Promise<boolean> {
    return pingSocket(this.socketPath);
  }

  /**
   * Starts the service again on the same socket once it stopped answering (to remove what a run
   * left). A killed service refuses connections a moment before its exit is seen: wait for the exit,
   * and end a process that lives on without answering.
   */
  async restart(): Promise<void> {
    if (!this.ours) return;
    if (!this.#exited && !(await within(this.#exit, STOP_TIMEOUT_MS))) {
      this.#child?.kill('SIGKILL');
      await within(this.#exit, STOP_TIMEOUT_MS);
    }
    await rm(this.socketPath, { force: true });
    await this.#spawn();
  }

  /** Stops a service this process started (SIGTERM, then SIGKILL) and removes its temp folder; a found one is left running. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child !== null && !this.#exited) {
      child.kill('SIGTERM');
      if (!(await within(this.#exit, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await within(this.#exit, STOP_TIMEOUT_MS);
      }
    }
    if (this.#dir !== null) await rm(this.#dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const args = ['system', 'service', '--time=0', `unix://${this.socketPath}`];
    const log = join(this.#dir!, 'service.log');
    const fd = openSync(log, 'a');
    const setpriv = existsSync('/usr/bin/setpriv');
    let child: ChildProcess;
    try {
      child = spawn(setpriv ? '/usr/bin/setpriv' : 'podman', setpriv ? ['--pdeathsig', 'SIGTERM', '--', 'podman', ...args] : args, { detached: true, stdio: ['ignore', 'ignore', fd] });
    } finally {
      closeSync(fd);
    }
    this.#child = child;
    this.#exited = false;
    this.#exit = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const failed = new Promise<Error>((resolve) => {
      child.once('error', (error) => resolve(error));
      child.once('exit', (code, signal) => resolve(new Error(`exited with ${signal ?? `code ${code}`}`)));
    });
    child.once('exit', () => {
      this.#exited = true;
    });
    child.once('error', () => {
      this.#exited = true;
    });
    // Not holding the event loop: a finished isobench exits; stop() still waits for the exit.
    child.unref();
    const until = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const early = await Promise.race([failed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]);
      if (early !== null) {
        const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
        throw new EngineError(`\`podman system service\` did not start (${early.message})${tail ? `: ${tail}` : ''}`);
      }
      if (await pingSocket(this.socketPath, 1_000)) return;
      if (performance.now() > until) throw new EngineError(`\`podman system service\` did not answer on ${this.socketPath} within ${START_TIMEOUT_MS / 1000} s`);
    }
  }
}

/**
 * Services isobench started whose owner process is gone (a run killed with SIGKILL), found by their
 * socket folder's name; `includeLive` takes those of runs in progress too. Stops each; returns the pids.
 */
export async function stopOrphanServices(includeLive: boolean): Promise<number[]> {
  const stopped: number[] = [];
  for (const pid of await podmanServicePids()) {
    const socket = (await cmdline(pid)).find((arg) => arg.startsWith('unix://'));
    const folder = socket === undefined ? '' : basename(join(socket.slice('unix://'.length), '..'));
    if (!folder.startsWith(tempPrefix('podman'))) continue;
    const owner = ownerPid(folder, 'podman');
    if (owner === null || owner === process.pid || (!includeLive && pidAlive(owner))) continue;
    try {
      process.kill(pid, 'SIGTERM');
      stopped.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return stopped;
}

/** Pids of every `podman system service` process on this host (its memory is the engine's shared cost). */
export async function podmanServicePids(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const args = await cmdline(Number(name));
    const at = args.indexOf('system');
    if (args[0] !== undefined && basename(args[0]) === 'podman' && at > 0 && args[at + 1] === 'service') pids.push(Number(name));
  }
  return pids;
}

async function cmdline(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((arg) => arg !== '');
  } catch {
    return [];
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
