// Docker's costs on this host for `isobench calibrate`: the Docker-API calibration
// (shared/docker-api/calibrate.ts) on the Docker Engine, and the engine's facts for the host record.

import { DockerEngine } from '../shared/docker-api/engine.js';
import { dockerOverrides, measureDocker } from '../shared/docker-api/calibrate.js';
import { runtimeProfile } from '../shared/docker-api/run.js';
import type { CalibrateOptions, Calibration } from '../types.js';

/** RealBackend.calibrate for the docker backend: its parameters, and the engine's facts for the host record. */
export async function calibrateDocker(options: CalibrateOptions, cpus: number): Promise<Calibration> {
  const engine = await DockerEngine.connect();
  const info = await engine.info();
  const runtime = runtimeProfile(info);
  const measured = await measureDocker({ engine, info, runId: options.runId, samples: options.samples, signal: options.signal, cleanup: options.cleanup, progress: options.progress });
  const calibration = dockerOverrides(runtime, measured, cpus, (how) => `calibrated on ${options.origin.host} ${options.origin.date}: ${how}`);
  return {
    ...calibration,
    host: {
      dockerVersion: info.engineVersion,
      dockerApiVersion: info.apiVersion,
      storageDriver: info.storageDriver,
      cgroupVersion: info.cgroupVersion,
      engineInVm: info.engineInVm,
      runtime,
      copyUpBytesPerSec: Math.round(measured.copyUpBytesPerSec),
      concurrentCreateWallMs: Math.round(measured.concurrentCreateWallMs),
      loadBytesPerSec: measured.loadBytesPerSec === null ? null : Math.round(measured.loadBytesPerSec),
    },
  };
}
