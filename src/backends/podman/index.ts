// The podman backend: the container column measured on Podman through its Docker-compatible API
// (`podman system service`, found or started by isobench and stopped again), with the same Docker
// API machinery as the docker backend (shared/docker-api/). What the compatible path changes in the
// figures is said in the result's notes.

import { cpus } from 'node:os';
import { onRuntime } from '../shared/as-run-model.js';
import { removeEverything } from '../shared/docker-api/reap.js';
import { runDocker, type DockerRunConfig } from '../shared/docker-api/run.js';
import type { EngineInfo } from '../shared/docker-api/engine.js';
import { runtimeVersion } from '../shared/oci-runtime.js';
import { removeTempDirs } from '../shared/temp.js';
import { EngineError } from '../../errors.js';
import { runtimeEngine } from '../../profiles/runtimes.js';
import type { RealBackend } from '../types.js';
import { calibratePodman } from './calibrate.js';
import { PODMAN_RUN_CONFIG, serviceProcesses } from './config.js';
import { connectService, openService, sessionFor } from './session.js';
import { NOT_INSTALLED, podmanVersion, stopOrphanServices, type PodmanService } from './service.js';

/** The report's environment record: engine Podman, its version, the OCI runtime and conmon with theirs. */
export async function engineRecord(info: EngineInfo, service: PodmanService): Promise<Record<string, string | number | boolean | null>> {
  return {
    engine: 'Podman',
    ...info,
    endpoint: service.ours ? 'a temp socket of `podman system service` started per run' : info.endpoint,
    service: service.from,
    ociRuntime: info.defaultRuntime,
    ociRuntimeVersion: info.local ? await runtimeVersion(info.defaultRuntime) : null,
    conmonVersion: info.local ? await runtimeVersion('conmon') : null,
  };
}

/** A podman backend with non-default knobs (tests). */
export function createPodmanBackend(config: Partial<DockerRunConfig> = {}, env: NodeJS.ProcessEnv = process.env): RealBackend {
  const base: DockerRunConfig = { ...PODMAN_RUN_CONFIG, ...config };
  return {
    name: 'podman',
    platform: 'container',
    layersFromPlan: 'images',
    runsRuntime: (profile) => runtimeEngine(profile) === 'podman',
    // Finds a running service or starts one for the probe alone: nothing is left running for a run
    // that never starts (another backend's probe may fail next).
    async probe() {
      const service = await openService(env, 'probe');
      try {
        const engine = await connectService(service);
        return await engineRecord(await engine.info(), service);
      } finally {
        if (service.ours) await service.stop();
      }
    },
    async run(scenario, options) {
      let session: Awaited<ReturnType<typeof sessionFor>>;
      try {
        session = await sessionFor(options.cleanup, env, options.runId);
      } catch (error) {
        if (error instanceof EngineError) return { state: 'failed', error };
        throw error;
      }
      options.progress(`podman: API service ${session.service.from} (${session.service.socketPath})`);
      const info = await session.engine.info();
      return runDocker(session.engine, info, scenario, { ...options, cleanup: session.cleanup }, { ...base, daemonProcesses: serviceProcesses(session.service) });
    },
    calibrate: (options) => calibratePodman(options, cpus().length, env),
    // Podman runs its own runtime (crun); images are loaded before anything is timed.
    modelAsRun(scenario, measured) {
      return onRuntime(scenario, measured.profile);
    },
    async clean(options) {
      const removed: Record<string, number> = { containers: 0, images: 0, 'temp paths': 0 };
      const notes: string[] = [];
      const services = await stopOrphanServices(options.includeLive);
      if (services.length > 0) notes.push(`stopped ${services.length} Podman API service(s) left by a killed run (pid ${services.join(', ')})`);
      const temp = await removeTempDirs('podman', options);
      removed['temp paths'] = temp.removed.length;
      if ((await podmanVersion()) === null) return { removed, notes: [...notes, `Podman skipped: ${NOT_INSTALLED}`] };
      let service: PodmanService | undefined;
      try {
        service = await openService(options.env ?? env, 'clean');
        const engine = await connectService(service);
        const { containers, images, kept } = await removeEverything(engine, options.includeLive);
        removed.containers = containers;
        removed.images = images;
        if (kept > 0) notes.push(`Podman: kept ${kept} container(s) of a run still in progress, and the images they use`);
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        notes.push(`Podman skipped: ${error.message}`);
      } finally {
        if (service?.ours) await service.stop();
      }
      return { removed, notes };
    },
  };
}

/** `--real podman`: probe() throws EngineError saying how to install Podman when it is absent. */
export const podmanBackend: RealBackend = createPodmanBackend();
