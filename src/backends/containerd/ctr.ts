// The only file that runs `ctr`: every call against one containerd socket and namespace, with a time
// limit, its failures turned into EngineError (a containerd that stopped answering says so).

import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { EngineError } from '../../errors.js';

/** The namespace every isobench container, image and snapshot lives in (Docker's is "moby"). */
export const NAMESPACE = 'isobench';
/** The ctr binary (Debian's containerd package). */
export const CTR = 'ctr';

/** Default limit for one ctr call; image imports get their own, longer one. */
const CALL_TIMEOUT_MS = 60_000;

/** One containerd as isobench sees it: its socket, and whether it still runs (own daemon only). */
export class Ctr {
  readonly address: string;
  readonly #alive: () => string | null;

  /** `alive()` returns why the daemon is gone (own daemon exited), or null while it may answer. */
  constructor(address: string, alive: () => string | null = () => null) {
    this.address = address;
    this.#alive = alive;
  }

  /** The global flags: socket, namespace, a short connect timeout (ctr waits 10 s on a dead socket by default). */
  args(rest: readonly string[]): string[] {
    return ['--address', this.address, '--namespace', NAMESPACE, '--connect-timeout', '2s', ...rest];
  }

  /** Runs `ctr ARGS` and returns its stdout; `what` names the step in errors. */
  async run(what: string, rest: readonly string[], options: { timeoutMs?: number; missingIsFine?: boolean } = {}): Promise<string> {
    const gone = this.#alive();
    if (gone !== null) throw this.stopped(what, gone);
    return new Promise((resolve, reject) => {
      execFile(CTR, this.args(rest), { timeout: options.timeoutMs ?? CALL_TIMEOUT_MS, maxBuffer: 64 * 1024 ** 2 }, (error, stdout, stderr) => {
        if (error === null) return resolve(stdout);
        const message = `${stderr}`.trim() || error.message;
        if (options.missingIsFine === true && /not found/.test(message)) return resolve('');
        reject(this.#failure(what, error, message));
      });
    });
  }

  /** Runs `ctr ARGS` with `input` streamed to its stdin (image import from "-"). */
  async runWithInput(what: string, rest: readonly string[], input: Readable, timeoutMs: number): Promise<string> {
    const gone = this.#alive();
    if (gone !== null) throw this.stopped(what, gone);
    const child = spawn(CTR, this.args(rest), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // ctr may exit (failing) before it read everything: its stdin then errors with EPIPE, which the exit code reports.
    child.stdin.on('error', () => {});
    input.on('error', () => child.kill('SIGKILL'));
    input.pipe(child.stdin);
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
    clearTimeout(timer);
    if (code === 0) return stdout;
    const message = stderr.trim() || `ctr exited with ${code ?? 'a signal'} (time limit ${Math.round(timeoutMs / 1000)} s)`;
    throw this.#failure(what, Object.assign(new Error(message), { code }), message);
  }

  #failure(what: string, error: unknown, message: string): EngineError {
    const gone = this.#alive();
    if (gone !== null) return this.stopped(what, gone);
    if (/failed to dial|connection refused|no such file or directory.*sock|transport is closing|Unavailable/i.test(message)) {
      return this.stopped(what, message);
    }
    return new EngineError(`containerd at ${this.address} failed during ${what}: ${message.split('\n')[0]}`, { cause: error });
  }

  /** The error for a daemon that stopped answering during `what`. */
  stopped(what: string, why: string): EngineError {
    return new EngineError(
      `containerd at ${this.address} stopped answering during ${what} (${why.split('\n')[0]}); ` +
        'the next run (or `isobench clean`) removes what this one left; check it with `sudo scripts/setup-engines.sh containerd`',
    );
  }
}
