// The one contract every real backend (docker, swarm, podman, containerd, host, qemu, mock) implements. The CLI, calibrate,
// clean and the scripts see only this; what a backend needs besides lives in ./shared/.

import type { Param } from '../profiles/param.js';
import type { Platform, PlatformResult } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { CleanupStack } from './shared/cleanup.js';

export interface RealRunOptions {
  /** Unique id of this run; every container, image, VM and temp file carries it. */
  runId: string;
  /** Multiplier for image and write sizes (--real-scale, default 1); the scenario given is already scaled. */
  scale: number;
  /** Cap on instances actually started (--real-max-instances, default 20). */
  maxInstances: number;
  /** Measured repetitions of the whole batch, after `warmup` unmeasured ones. */
  repetitions: number;
  warmup: number;
  /** Per-instance readiness timeout. */
  instanceTimeoutMs: number;
  /** When an instance fails (timeout, OOM kill, exit): 'continue' (default) records it and goes on; 'stop' ends the run. */
  onInstanceFailure?: 'continue' | 'stop';
  /**
   * The app's declared startup: 'add' (default) adds it to each measured start instead of sleeping
   * through it (a sleep competes for nothing; the waves are replayed with it); 'sleep' makes the app
   * wait it out for real (slow; tests that need instances alive for a while use it).
   */
  appStartup?: 'add' | 'sleep';
  /** Fires on Ctrl-C / SIGTERM: stop promptly, run the cleanup, throw InterruptedError. */
  signal: AbortSignal;
  /** Where to register undo actions (remove container, kill VM, delete temp dir). */
  cleanup: CleanupStack;
  /** Progress for long work, one short line at a time (goes to stderr). */
  progress: (message: string) => void;
  /** Called after each batch (warm-up or measured) with how many of the run's batches are done. */
  onBatch?: (done: number, total: number) => void;
}

/**
 * How a run of one scenario ended. InterruptedError (Ctrl-C / SIGTERM) is thrown instead: the run
 * as a whole stops, whatever the backend had.
 * - completed: every batch ran (the result's own state says whether instances failed);
 * - partial: the engine failed midway; the result holds what the completed batches measured;
 * - failed: the engine failed before anything was measured.
 */
export type RunOutcome =
  | { state: 'completed'; result: PlatformResult }
  | { state: 'partial'; result: PlatformResult; error: Error }
  /** `result`, when given, says what was known (engine, runtime) and why nothing was measured: every metric null. */
  | { state: 'failed'; error: Error; result?: PlatformResult };

/** The scenario the model should be evaluated on to stand beside a measurement, and why it differs. */
export interface ModeledAsRun {
  scenario: Scenario;
  /** One sentence per change from the scenario as run (runtime, accelerator, boot, cache). */
  notes: string[];
}

/** What `isobench clean` removed (or kept) of one backend. */
export interface CleanReport {
  /** Counts by kind, e.g. { containers: 2, images: 1, 'temp paths': 3 }. */
  removed: Record<string, number>;
  /** One line per thing worth telling (what was kept and why, an engine that did not answer). */
  notes: string[];
}

export interface CleanOptions {
  /** Also remove what a run still in progress on this host is using. */
  includeLive: boolean;
  /** Where temp files are looked for (default the OS temp dir). */
  tempDir?: string;
  /** Environment for finding engines (DOCKER_HOST ...). */
  env?: NodeJS.ProcessEnv;
}

/** What calibration measured: model parameter overrides, raw host facts, and what it refused to write. */
export interface Calibration {
  overrides: Record<string, Param>;
  host: Record<string, string | number | boolean | null>;
  /** "path: why" for every parameter this calibration would set but could not measure. */
  notMeasured: string[];
}

export interface CalibrateOptions {
  runId: string;
  /** Starts per measurement. */
  samples: number;
  signal: AbortSignal;
  cleanup: CleanupStack;
  progress: (message: string) => void;
  /** "host date", named in every parameter's source. */
  origin: { host: string; date: string };
}

/** A real backend: measures one scenario on one platform, models what it ran, cleans what it made. */
export interface RealBackend {
  /** The --real name. */
  name: string;
  platform: Platform;
  /** Throws EngineError with one sentence saying how to start the engine when it is unavailable. */
  probe(): Promise<Record<string, string | number | boolean | null>>;
  /**
   * Container engines: whether this backend runs a runtime profile ("docker-runsc"). A scenario that
   * compares runtimes is run once per runtime it runs (each result tagged with it).
   */
  runsRuntime?(profile: string): boolean;
  /**
   * How the backend lays the scenario's layers down from the image plan (shared/image-plan.ts), so
   * the model as run counts the bytes it really built: 'images' (container images, fork-app in the
   * bottom layer when a service forks) or 'install' (the host's one install of the same files).
   */
  layersFromPlan?: 'images' | 'install';
  /** Measures the scenario as run (sizes already scaled; instances capped at options.maxInstances). */
  run(scenario: Scenario, options: RealRunOptions): Promise<RunOutcome>;
  /** The scenario the model should describe to stand beside `measured` (what really ran). Pure. */
  modelAsRun(scenario: Scenario, measured: PlatformResult): ModeledAsRun;
  /** Measures this host's costs as model parameter overrides (optional). */
  calibrate?(options: CalibrateOptions): Promise<Calibration>;
  /** Removes everything this backend ever made, sparing runs in progress unless `includeLive`. */
  clean(options: CleanOptions): Promise<CleanReport>;
}
