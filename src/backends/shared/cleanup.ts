// Undo actions for everything a real run creates, run in reverse order on success, failure or signal.

import { messageOf } from '../../errors.js';

export type CleanupAction = () => Promise<void> | void;

/** A stack of undo actions; `run()` executes them newest first and never throws. */
export class CleanupStack {
  readonly #actions: { label: string; action: CleanupAction }[] = [];
  readonly #failures: string[] = [];

  /** Registers an undo action; returns a function that runs it now and unregisters it. */
  defer(label: string, action: CleanupAction): () => Promise<void> {
    const entry = { label, action };
    this.#actions.push(entry);
    return async () => {
      const index = this.#actions.indexOf(entry);
      if (index === -1) return;
      this.#actions.splice(index, 1);
      await this.#runOne(entry);
    };
  }

  /** Runs every pending action, newest first. Failures are collected in `failures`, not thrown. */
  async run(): Promise<void> {
    while (this.#actions.length > 0) {
      const entry = this.#actions.pop();
      if (entry) await this.#runOne(entry);
    }
  }

  get pending(): number {
    return this.#actions.length;
  }

  /** Labels and messages of actions that failed. */
  get failures(): readonly string[] {
    return this.#failures;
  }

  async #runOne(entry: { label: string; action: CleanupAction }): Promise<void> {
    try {
      await entry.action();
    } catch (error) {
      this.#failures.push(`${entry.label}: ${messageOf(error)}`);
    }
  }
}
