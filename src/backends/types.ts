// What every real backend (docker, host, qemu) receives and returns.

import type { PlatformResult } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { CleanupStack } from './cleanup.js';

export interface RealRunOptions {
  /** Unique id of this run; every container, image, VM and temp file carries it. */
  runId: string;
  /** Multiplier for image and write sizes (--real-scale, default 1). */
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
  /** Fires on Ctrl-C / SIGTERM: stop promptly, run the cleanup, throw InterruptedError. */
  signal: AbortSignal;
  /** Where to register undo actions (remove container, kill VM, delete temp dir). */
  cleanup: CleanupStack;
  /** Progress for long work, one short line at a time (goes to stderr). */
  progress: (message: string) => void;
}

/** A real backend: measures one scenario on one platform. */
export interface RealBackend {
  name: 'docker' | 'host' | 'qemu';
  platform: PlatformResult['platform'];
  /** Throws EngineError with one sentence saying how to start the engine when it is unavailable. */
  probe(): Promise<Record<string, string | number | boolean | null>>;
  run(scenario: Scenario, options: RealRunOptions): Promise<PlatformResult>;
}
