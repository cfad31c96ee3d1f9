// The docker backend: the container column measured on a real Docker Engine, through the Docker
// API machinery in shared/docker-api/ (which Podman's compatible service uses too).

import { cpus } from 'node:os';
import { EngineError } from '../../errors.js';
import { runtimeEngine } from '../../profiles/runtimes.js';
import { onRuntime } from '../shared/as-run-model.js';
import type { RealBackend } from '../types.js';
import { calibrateDocker } from './calibrate.js';
import { DockerEngine, type EngineInfo } from '../shared/docker-api/engine.js';
import { removeEverything } from '../shared/docker-api/reap.js';
import { DEFAULT_DOCKER_RUN_CONFIG, runDocker, type DockerRunConfig } from '../shared/docker-api/run.js';

export type { DockerRunConfig } from '../shared/docker-api/run.js';

/** The probe record for the report's environment (engines.docker). */
export function engineRecord(info: EngineInfo): Record<string, string | number | boolean | null> {
  return { ...info };
}

/** A docker backend with non-default knobs (tests provoke OOM kills with a negative memory margin). */
export function createDockerBackend(config: Partial<DockerRunConfig> = {}): RealBackend {
  const full: DockerRunConfig = { ...DEFAULT_DOCKER_RUN_CONFIG, ...config };
  return {
    name: 'docker',
    platform: 'container',
    layersFromPlan: 'images',
    runsRuntime: (profile) => runtimeEngine(profile) === 'docker',
    async probe() {
      const engine = await DockerEngine.connect();
      return engineRecord(await engine.info());
    },
    async run(scenario, options) {
      const engine = await DockerEngine.connect();
      return runDocker(engine, await engine.info(), scenario, options, full);
    },
    // Docker runs the scenario's runtime when it is one of Docker's (runc, crun, runsc), else its
    // default; images are built before anything is timed.
    modelAsRun(scenario, measured) {
      return onRuntime(scenario, measured.profile);
    },
    calibrate: (options) => calibrateDocker(options, cpus().length),
    async clean(options) {
      try {
        const engine = await DockerEngine.connect(options.env ?? process.env);
        const { containers, images, kept } = await removeEverything(engine, options.includeLive);
        return { removed: { containers, images }, notes: kept > 0 ? [`kept ${kept} container(s) of a run still in progress, and the images they use`] : [] };
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        return { removed: { containers: 0, images: 0 }, notes: [`Docker skipped: ${error.message}`] };
      }
    },
  };
}

/** `--real docker`: probe() throws EngineError with how to start an engine when none answers. */
export const dockerBackend: RealBackend = createDockerBackend();
