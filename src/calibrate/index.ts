// `isobench calibrate`: measures this host's Docker and process costs and returns a host profile
// (the file format of src/profiles/profile-file.ts) that `--profile FILE` applies over the presets.

import { cpus, hostname, release, totalmem } from 'node:os';
import { CleanupStack } from '../backends/cleanup.js';
import { DockerEngine } from '../backends/docker/engine.js';
import { probeHost } from '../backends/host/run.js';
import { HostProfileSchema, PROFILE_KIND, PROFILE_SCHEMA_VERSION, type HostProfile } from '../profiles/profile-file.js';
import { measureDocker, type DockerCalibration } from './measure-docker.js';
import { measureProcess, type ProcessCalibration } from './measure-process.js';
import { toOverrides } from './overrides.js';
import { calibrateQemu } from './qemu.js';

export interface CalibrateOptions {
  /** Starts per measurement (default 10). */
  samples?: number;
  /** Measure Docker (default true; without an engine this throws EngineError). */
  docker?: boolean;
  /** Measure host processes (default true). */
  process?: boolean;
  /** Also boot QEMU guests (src/calibrate/qemu.ts) and merge their overrides (default false). */
  qemu?: boolean;
  signal?: AbortSignal;
  /** Where undo actions go; by default calibrate makes and runs its own. */
  cleanup?: CleanupStack;
  progress?: (message: string) => void;
  runId?: string;
  now?: Date;
}

/** Measures and returns the profile; every container it made is gone when it returns or throws. EngineError without an engine. */
export async function calibrate(options: CalibrateOptions = {}): Promise<HostProfile> {
  const samples = options.samples ?? 10;
  const signal = options.signal ?? new AbortController().signal;
  const progress = options.progress ?? (() => {});
  const ownCleanup = options.cleanup === undefined;
  const cleanup = options.cleanup ?? new CleanupStack();
  const now = options.now ?? new Date();
  const runId = options.runId ?? `calibrate-${now.getTime().toString(36)}`;
  const host: HostProfile['host'] = {
    hostname: hostname(),
    kernel: release(),
    cpus: cpus().length,
    memoryBytes: totalmem(),
  };
  let docker: DockerCalibration | null = null;
  let processes: ProcessCalibration | null = null;
  let runtime = 'docker-runc';
  try {
    if (options.process ?? true) {
      await probeHost();
      progress('calibrate: process fork/exec');
      processes = await measureProcess(samples, signal);
    }
    if (options.docker ?? true) {
      const engine = await DockerEngine.connect();
      const info = await engine.info();
      runtime = info.defaultRuntime === 'crun' ? 'crun' : 'docker-runc';
      Object.assign(host, {
        dockerVersion: info.engineVersion,
        dockerApiVersion: info.apiVersion,
        storageDriver: info.storageDriver,
        cgroupVersion: info.cgroupVersion,
        engineInVm: info.engineInVm,
        runtime,
      });
      docker = await measureDocker({ engine, info, runId, samples, signal, cleanup, progress });
      host.copyUpBytesPerSec = Math.round(docker.copyUpBytesPerSec);
      host.concurrentCreateWallMs = Math.round(docker.concurrentCreateWallMs);
      host.loadBytesPerSec = docker.loadBytesPerSec === null ? null : Math.round(docker.loadBytesPerSec);
    }
  } finally {
    if (ownCleanup) await cleanup.run();
  }
  const overrides = toOverrides({ host: hostname(), date: now.toISOString().slice(0, 10) }, runtime, docker, processes, cpus().length);
  if (options.qemu ?? false) {
    const qemu = await calibrateQemu({ signal, progress });
    Object.assign(overrides, qemu.overrides);
    for (const [key, value] of Object.entries(qemu.host)) host[`qemu.${key}`] = value;
  }
  return HostProfileSchema.parse({
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: PROFILE_KIND,
    createdAt: now.toISOString(),
    host,
    overrides,
  });
}
