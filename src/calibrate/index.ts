// `isobench calibrate`: asks each chosen backend to measure this host (RealBackend.calibrate) and
// returns a host profile (the file format of src/profiles/profile-file.ts) that `--profile FILE`
// applies over the presets. A parameter a backend could not measure is not written; it is listed.

import { hostname, release, totalmem, cpus } from 'node:os';
import { loadBackend, type BackendName } from '../backends/list.js';
import { CleanupStack } from '../backends/shared/cleanup.js';
import type { Calibration } from '../backends/types.js';
import { builtinCatalog, getParam } from '../profiles/catalog.js';
import type { Param } from '../profiles/param.js';
import { HostProfileSchema, PROFILE_KIND, PROFILE_SCHEMA_VERSION, type HostProfile } from '../profiles/profile-file.js';

export interface CalibrateOptions {
  /** Starts per measurement (default 10). */
  samples?: number;
  /** Measure Docker (default true; without an engine this throws EngineError). */
  docker?: boolean;
  /** Measure host processes (default true). */
  process?: boolean;
  /** Also measure Podman through its compatible API service (default false). */
  podman?: boolean;
  /** Also boot QEMU guests and merge their overrides (default false). */
  qemu?: boolean;
  signal?: AbortSignal;
  /** Where undo actions go; by default calibrate makes and runs its own. */
  cleanup?: CleanupStack;
  progress?: (message: string) => void;
  runId?: string;
  now?: Date;
}

/** The profile, and every parameter that was not written because it was not measured (with why). */
export interface CalibrationResult {
  profile: HostProfile;
  notMeasured: string[];
}

/** Measures and returns the profile; everything it made is gone when it returns or throws. EngineError without an engine. */
export async function calibrate(options: CalibrateOptions = {}): Promise<CalibrationResult> {
  const signal = options.signal ?? new AbortController().signal;
  const progress = options.progress ?? (() => {});
  const ownCleanup = options.cleanup === undefined;
  const cleanup = options.cleanup ?? new CleanupStack();
  const now = options.now ?? new Date();
  const runId = options.runId ?? `calibrate-${now.getTime().toString(36)}`;
  const chosen: BackendName[] = [
    ...((options.process ?? true) ? (['host'] as const) : []),
    ...((options.docker ?? true) ? (['docker'] as const) : []),
    ...((options.podman ?? false) ? (['podman'] as const) : []),
    ...((options.qemu ?? false) ? (['qemu'] as const) : []),
  ];
  const host: HostProfile['host'] = { hostname: hostname(), kernel: release(), cpus: cpus().length, memoryBytes: totalmem() };
  const overrides: Record<string, Param> = {};
  const notMeasured: string[] = [];
  try {
    for (const name of chosen) {
      const backend = await loadBackend(name);
      if (backend.calibrate === undefined) continue;
      const calibration: Calibration = await backend.calibrate({
        runId,
        samples: options.samples ?? 10,
        signal,
        cleanup,
        progress,
        origin: { host: hostname(), date: now.toISOString().slice(0, 10) },
      });
      Object.assign(overrides, calibration.overrides);
      notMeasured.push(...calibration.notMeasured);
      for (const [key, value] of Object.entries(calibration.host)) host[name === 'docker' || name === 'host' ? key : `${name}.${key}`] = value;
    }
  } finally {
    if (ownCleanup) await cleanup.run();
  }
  const profile = HostProfileSchema.parse({
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: PROFILE_KIND,
    createdAt: now.toISOString(),
    host,
    overrides: validOnly(overrides, notMeasured),
  });
  return { profile, notMeasured };
}

/** Keeps overrides whose path and unit exist in the built-in catalog (the profile loader rejects others); lists the rest. */
function validOnly(overrides: Record<string, Param>, notMeasured: string[]): Record<string, Param> {
  const catalog = builtinCatalog();
  const kept: Record<string, Param> = {};
  for (const [path, param] of Object.entries(overrides)) {
    if (getParam(catalog, path)?.unit === param.unit) kept[path] = param;
    else notMeasured.push(`${path}: not written: no such parameter with unit ${param.unit} in the built-in profiles`);
  }
  return kept;
}
