// The progress line of a real run: how far along it is and about how long is left, in front of
// each line a backend prints. Pure apart from the clock it is given.

/** Tracks (scenario, backend) steps and their batches; `prefix()` says where the run is. */
export class RunProgress {
  readonly #steps: number;
  readonly #now: () => number;
  readonly #start: number;
  #step = 0;
  #stepFraction = 0;

  constructor(steps: number, now: () => number = () => performance.now()) {
    this.#steps = Math.max(1, steps);
    this.#now = now;
    this.#start = now();
  }

  /** A new (scenario, backend) step begins (0-based). */
  startStep(step: number): void {
    this.#step = step;
    this.#stepFraction = 0;
  }

  /** `done` of the step's `total` batches are finished. */
  batchDone(done: number, total: number): void {
    this.#stepFraction = total <= 0 ? 0 : Math.min(1, done / total);
  }

  /** The share of the run done, 0..1. */
  get fraction(): number {
    return Math.min(1, (this.#step + this.#stepFraction) / this.#steps);
  }

  /** "[42% · 31 s in · about 43 s left]"; no estimate before anything finished. */
  prefix(): string {
    const elapsedS = (this.#now() - this.#start) / 1000;
    const f = this.fraction;
    const left = f > 0 ? `about ${Math.round((elapsedS * (1 - f)) / f)} s left` : 'estimating time left';
    return `[${Math.round(f * 100)}% · ${Math.round(elapsedS)} s in · ${left}]`;
  }
}
