// One `ctr events` stream for a whole run: which containers exited and which had an OOM kill, as
// containerd reports them, so a failed start is told apart without polling each container.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CTR, NAMESPACE, type Ctr } from './ctr.js';
import { parseEvent } from './parse.js';

/** What containerd told about the run's containers. */
export class EventWatch {
  readonly #child: ChildProcess;
  readonly #exits = new Map<string, number>();
  readonly #oom = new Set<string>();
  readonly #waiters = new Map<string, (() => void)[]>();
  #ended = false;

  private constructor(child: ChildProcess) {
    this.#child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseEvent(line);
      if (event === undefined) return;
      if (event.topic === '/tasks/oom') this.#oom.add(event.containerId);
      if (event.topic === '/tasks/exit') {
        this.#exits.set(event.containerId, event.exitStatus);
        this.#wake(event.containerId);
      }
    });
    child.once('exit', () => {
      // The daemon went away (or the watch was stopped): nothing more will be told.
      this.#ended = true;
      for (const id of [...this.#waiters.keys()]) this.#wake(id);
    });
  }

  /** Subscribes to the namespace's task events (call before the first container starts). */
  static start(ctr: Ctr): EventWatch {
    const child = spawn(CTR, ctr.args(['events', `namespace==${NAMESPACE}`]), { stdio: ['ignore', 'pipe', 'ignore'] });
    child.on('error', () => {});
    return new EventWatch(child);
  }

  /** Resolves once the container's task exited (or the stream ended). */
  exited(id: string): Promise<void> {
    if (this.#exits.has(id) || this.#ended) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
  }

  /** The exit status containerd reported, or undefined when it has not exited (as far as told). */
  exitStatus(id: string): number | undefined {
    return this.#exits.get(id);
  }

  /** Whether the OOM killer struck in the container's cgroup. */
  oomKilled(id: string): boolean {
    return this.#oom.has(id);
  }

  /** True once the stream ended: the daemon stopped (or stop() was called). */
  get ended(): boolean {
    return this.#ended;
  }

  stop(): void {
    this.#child.kill('SIGKILL');
  }

  #wake(id: string): void {
    for (const resolve of this.#waiters.get(id) ?? []) resolve();
    this.#waiters.delete(id);
  }
}
