// Podman's costs on this host for `isobench calibrate --podman`: the Docker-API calibration
// (shared/docker-api/calibrate.ts) through Podman's compatible service, with the containers made as
// a podman run makes them (its ulimits), its API service as the daemon and conmon as the shim.

import { dockerOverrides, measureDocker, type CalibratedEngine } from '../shared/docker-api/calibrate.js';
import { runtimeProfile } from '../shared/docker-api/run.js';
import type { CalibrateOptions, Calibration } from '../types.js';
import { PODMAN_RUN_CONFIG, serviceProcesses } from './config.js';
import { sessionFor } from './session.js';

/** RealBackend.calibrate for the podman backend: the podman-<runtime> parameters and Podman's facts for the host record. */
export async function calibratePodman(options: CalibrateOptions, cpus: number, env: NodeJS.ProcessEnv = process.env): Promise<Calibration> {
  const session = await sessionFor(options.cleanup, env, options.runId);
  options.progress(`calibrate: Podman API service ${session.service.from} (${session.service.socketPath})`);
  const info = await session.engine.info();
  const runtime = runtimeProfile(info, 'podman');
  const calibrated: CalibratedEngine = {
    config: PODMAN_RUN_CONFIG,
    daemons: serviceProcesses(session.service),
    names: { daemons: 'the Podman API service', shim: 'conmon', stats: 'Podman stats' },
  };
  const measured = await measureDocker({
    engine: session.engine,
    info,
    calibrated,
    runId: options.runId,
    samples: options.samples,
    signal: options.signal,
    cleanup: session.cleanup,
    progress: options.progress,
  });
  const calibration = dockerOverrides(
    runtime,
    measured,
    cpus,
    (how) => `calibrated on ${options.origin.host} ${options.origin.date} through Podman's Docker-compatible API service: ${how}`,
    calibrated.names,
  );
  return {
    ...calibration,
    host: {
      version: info.engineVersion,
      apiVersion: info.apiVersion,
      storageDriver: info.storageDriver,
      cgroupVersion: info.cgroupVersion,
      runtime,
      copyUpBytesPerSec: Math.round(measured.copyUpBytesPerSec),
      concurrentCreateWallMs: Math.round(measured.concurrentCreateWallMs),
    },
  };
}
